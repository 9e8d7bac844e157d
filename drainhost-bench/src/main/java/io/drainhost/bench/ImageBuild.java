package io.drainhost.bench;

import io.drainhost.testing.ContainerEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The image the container benchmarks and the drill run, built from the repository's Dockerfile. */
final class ImageBuild {
  private ImageBuild() {}

  /**
   * Builds {@code context}'s Dockerfile as {@code tag}; the build stage reads Maven artifacts from
   * this machine's local repository when there is one, instead of downloading them again.
   */
  static String build(ContainerEngine engine, Path context, String tag) {
    Path repository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    long t0 = System.nanoTime();
    engine
        .build(
            context,
            tag,
            Files.isDirectory(repository) ? Optional.of(repository) : Optional.empty())
        .requireSuccess(
            "building the image from "
                + context.resolve("Dockerfile")
                + " (without a public registry, build on local bases: export "
                + ContainerEngine.BUILD_ARGS_VARIABLE
                + "=\"$(.ci/container-bases)\")");
    System.out.printf("built %s in %d ms%n", tag, (System.nanoTime() - t0) / 1_000_000);
    return tag;
  }

  /** {@code image} with one more environment variable: another build of the same code. */
  static String withEnvironment(ContainerEngine engine, String image, String tag, String env) {
    try {
      Path context = Files.createTempDirectory("drainhost-image-");
      Files.writeString(context.resolve("Dockerfile"), "FROM " + image + "\nENV " + env + "\n");
      engine.build(context, tag, Optional.empty()).requireSuccess("building " + tag);
      return tag;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
