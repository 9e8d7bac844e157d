package io.drainhost.ecs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.drainhost.config.ConfigException;
import io.drainhost.config.ConfigLoader;
import io.drainhost.config.HostConfig;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The build id a host on ECS reads from its container's metadata when it starts. */
class ContainerImageTest {
  @Test
  void onEcsTheBuildIdIsTheContainersImageDigestElseItsTag() throws Exception {
    HttpServer metadata = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicReference<String> body = new AtomicReference<>();
    metadata.createContext(
        "/v4/abc",
        x -> {
          byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, b.length);
          x.getResponseBody().write(b);
          x.close();
        });
    metadata.start();
    try {
      HostConfig config =
          ConfigLoader.load(
              Map.of(
                  "DRAINHOST_DEPLOYMENT_NAME",
                  "orders",
                  "TEMPORAL_ADDRESS",
                  "127.0.0.1:7233",
                  "ECS_CONTAINER_METADATA_URI_V4",
                  "http://127.0.0.1:" + metadata.getAddress().getPort() + "/v4/abc"));
      body.set(
          "{\"Name\":\"app\",\"Image\":\"123.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2\","
              + "\"ImageID\":\"sha256:0d5e8c1f\"}");
      assertEquals(
          "0d5e8c1f", ContainerImage.withBuildId(config).versioning().deployment().get().buildId());
      body.set("{\"Name\":\"app\",\"Image\":\"registry:5000/orders:1.4.2\"}");
      assertEquals(
          "1.4.2", ContainerImage.withBuildId(config).versioning().deployment().get().buildId());
      body.set("{\"Name\":\"app\",\"Image\":\"orders\"}");
      ConfigException neither =
          assertThrows(ConfigException.class, () -> ContainerImage.withBuildId(config));
      assertTrue(
          neither
              .problems()
              .get(0)
              .endsWith("(ECS_CONTAINER_METADATA_URI_V4 answered with neither)"),
          neither.problems().toString());
    } finally {
      metadata.stop(0);
    }
  }

  @Test
  void aConfigurationWithItsBuildIdIsLeftAsItIs() {
    HostConfig config =
        ConfigLoader.load(Map.of("DRAINHOST_DEPLOYMENT_NAME", "o", "DRAINHOST_BUILD_ID", "7"));
    assertEquals(config, ContainerImage.withBuildId(config));
  }
}
