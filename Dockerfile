# syntax=docker/dockerfile:1
# The base images are build arguments with public defaults: `docker build .` pulls these; a machine
# that reaches no public registry builds on local bases instead (.ci/container-bases makes them
# from Debian's packages: `podman build $(.ci/container-bases) .`).
ARG BUILD_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=debian:bookworm-slim
# checkov:skip=CKV_DOCKER_7: the FROMs are these build arguments, whose defaults name a version tag

# Build stage: the same command a developer runs, on a Maven + JDK 17 image.
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
# Every module the parent POM lists must be here, or Maven refuses the reactor at its first step;
# of the tooling modules only their POMs, so that a change to them rebuilds nothing of the host.
COPY pom.xml .
COPY .mvn ./.mvn
COPY drainhost ./drainhost
COPY drainhost-testing ./drainhost-testing
COPY drainhost-app ./drainhost-app
COPY drainhost-bom/pom.xml ./drainhost-bom/pom.xml
COPY drainhost-bench/pom.xml ./drainhost-bench/pom.xml
COPY drainhost-deploy/pom.xml ./drainhost-deploy/pom.xml
# Only the runnable host and the modules it needs; formatting is checked by CI, not here.
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true -pl drainhost-app -am package
# The runtime: only the JDK modules the host needs, linked from this stage's JDK. jdeps finds what
# the jar uses; docker/runtime-modules lists them with what jdeps cannot see, and the build stops
# when the jar needs a module the list lacks. Its own CDS archive, on which the image's is built
# (the one for compressed object pointers only: a task's heap is far below the 32 GB they reach).
COPY docker/runtime-modules ./docker/runtime-modules
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN found="$(jdeps --ignore-missing-deps -q --multi-release 17 --print-module-deps target/drainhost.jar)" \
 && listed="$(grep -v '^#' docker/runtime-modules | grep . | paste -sd, -)" \
 && missing="$(comm -23 <(tr , '\n' <<<"$found" | sort) <(tr , '\n' <<<"$listed" | sort))" \
 && { [ -z "$missing" ] || { echo "docker/runtime-modules lacks: $missing" >&2; exit 1; }; } \
 && jlink --add-modules "$listed" --strip-java-debug-attributes --no-man-pages --no-header-files \
      --compress=2 --generate-cds-archive --output /opt/jre \
 && rm -f /opt/jre/lib/server/classes_nocoops.jsa

# Runtime stage: the linked runtime on a slim Debian, no compiler, no Maven, no sources, a
# non-root user.
FROM ${RUNTIME_IMAGE}
RUN groupadd --system --gid 10001 drainhost \
 && useradd --system --uid 10001 --gid drainhost --no-create-home --shell /usr/sbin/nologin drainhost
COPY --from=build /opt/jre /opt/jre
ENV JAVA_HOME=/opt/jre \
    PATH=/opt/jre/bin:$PATH
WORKDIR /app
COPY --from=build /src/target/drainhost.jar /app/drainhost.jar
ENV DRAINHOST_PORT=8080 \
    DRAINHOST_LOG_FORMAT=json
# bash, for the training's health checks over /dev/tcp (the image has no curl)
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
# Class-data sharing: the classes a start loads, archived once here and mapped by every start
# after: a training start of the host with the task's environment, against a Temporal over real
# gRPC (the jar's own dev server, on a free loopback port: a task's connection loads ~900 classes of
# gRPC's transport that the embedded server's in-process channel never does), stopped by SIGTERM
# once its workers poll and it has answered a health check, as a task's first seconds do. A class
# first loaded after the training is read and verified from the jar on every start instead.
# The archive belongs to this JVM: a task that runs another one starts without it, just slower.
# The training start is stopped with kill: that is what makes it write the archive.
# hadolint ignore=DL3001
RUN logged() { for _ in $(seq 1 300); do grep -q "$1" "$2" && return 0; sleep 0.1; done; return 1; }; \
    java -Xlog:disable -jar /app/drainhost.jar dev-server --port 0 >/tmp/temporal.log 2>&1 & \
    temporal=$!; \
    logged 'dev server listening on' /tmp/temporal.log \
      || { cat /tmp/temporal.log; kill -KILL "$temporal"; exit 1; }; \
    port="$(grep -o 'listening on 127.0.0.1:[0-9]*' /tmp/temporal.log | cut -d: -f2)"; \
    TEMPORAL_ADDRESS="127.0.0.1:$port" \
      java -XX:ArchiveClassesAtExit=/app/drainhost.jsa -Xlog:disable -jar /app/drainhost.jar \
      >/tmp/training.log 2>&1 & pid=$!; \
    logged 'workers started' /tmp/training.log \
      || { cat /tmp/training.log; kill -KILL "$pid" "$temporal"; exit 1; }; \
    for path in /health /health/live; do \
      ( exec 3<>/dev/tcp/127.0.0.1/"$DRAINHOST_PORT" \
          && printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3 && cat <&3 >/dev/null ); \
    done; \
    kill -TERM "$pid"; wait "$pid"; kill -TERM "$temporal"; wait "$temporal"; \
    test -s /app/drainhost.jsa || { cat /tmp/training.log; exit 1; }; \
    rm -f /tmp/training.log /tmp/temporal.log
USER 10001:10001
EXPOSE 8080
# Liveness only (never readiness: a busy or draining task must not be killed), over bash's
# /dev/tcp so that a probe costs no second JVM and the image needs no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${DRAINHOST_PORT:-8080} && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# Exec form: the JVM is the process that receives SIGTERM (with ECS initProcessEnabled, an init
# forwards it), so the drain runs instead of a SIGKILL after stopTimeout. The JVM's options are
# here, not in JAVA_TOOL_OPTIONS, whose "Picked up ..." line would be the one log line that is not
# JSON; the JVM's own warnings go to stderr, so stdout is the host's JSON lines only.
# The Tier4 thresholds, ten times the JVM's: on a task's one CPU the C2 compiler spent the start
# compiling code that only the start runs, and the start waited for the CPU. Code that stays hot
# still gets C2, after ten times as many calls: peak speed is unchanged (docs/ecs.md has both).
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-XX:Tier4InvocationThreshold=50000", "-XX:Tier4MinInvocationThreshold=6000", \
            "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=400000", \
            "-XX:SharedArchiveFile=/app/drainhost.jsa", "-Xlog:disable", "-Xlog:all=warning:stderr", \
            "-jar", "/app/drainhost.jar"]
CMD ["serve"]
