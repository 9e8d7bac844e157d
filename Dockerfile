# syntax=docker/dockerfile:1
# Build stage: the same command a developer runs, on a pinned Maven + Temurin 17 image.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY .mvn ./.mvn
COPY drainhost ./drainhost
COPY drainhost-testing ./drainhost-testing
COPY drainhost-app ./drainhost-app
COPY drainhost-bench/pom.xml ./drainhost-bench/pom.xml
# Only the runnable host and the modules it needs; the image carries no bench tooling.
RUN mvn -B -q -DskipTests -pl drainhost-app -am package

# Runtime stage: a slim JRE, no build tools, a non-root user.
FROM eclipse-temurin:21-jre
RUN groupadd --system --gid 10001 drainhost \
 && useradd --system --uid 10001 --gid drainhost --no-create-home --shell /usr/sbin/nologin drainhost
WORKDIR /app
COPY --from=build /src/target/drainhost.jar /app/drainhost.jar
USER 10001:10001
ENV DRAINHOST_PORT=8080 \
    DRAINHOST_LOG_FORMAT=json \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
# Liveness only (never readiness: a busy or draining task must not be killed), over bash's
# /dev/tcp so that a probe costs no second JVM and the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${DRAINHOST_PORT:-8080} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Exec form: the JVM is the process that receives SIGTERM (with ECS initProcessEnabled, an init
# forwards it), so the drain runs instead of a SIGKILL after stopTimeout.
ENTRYPOINT ["java", "-jar", "/app/drainhost.jar"]
CMD ["serve"]
