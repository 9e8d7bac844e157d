package io.drainhost.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JVM options that make a test suite's child JVMs cheap to start, when the build asks for them
 * (system property {@value #PROPERTY}; the test suites set it, the benchmarks do not, so their
 * figures stay those of a default JVM): only the C1 compiler, and a class-data sharing archive of
 * the jar ({@code -XX:ArchiveClassesAtExit}) used by every child after the first. The host's jar is
 * trained by a start of its own (embedded Temporal, stopped once serving), so no test's child pays
 * the archive's writing at its exit; another jar by its first child that exits by itself. CI runs
 * hundreds of short-lived JVMs on two cores; measured on a host's start and stop, these cut its CPU
 * time from 2.8 s to 0.6 s.
 *
 * <p>The archive is named after the jar's size and time and the JVM's version, so a rebuilt jar or
 * another JDK never meets a stale one (the JVM would warn, and run without it).
 */
final class FastChildJvm {
  static final String PROPERTY = "drainhost.child.fastStart";

  /** A training child that never exited leaves its marker; past this age another one trains. */
  private static final Duration STALE_TRAINING = Duration.ofMinutes(3);

  /** Smaller, the child that wrote it exited before loading what a start loads: not kept. */
  private static final long SMALLEST_ARCHIVE = 8L * 1024 * 1024;

  private static final String HOST_JAR = "drainhost.jar";

  private FastChildJvm() {}

  /**
   * The same, asked of a tool's JVM that starts children itself (the drill): its environment
   * variable, which its own children do not inherit.
   */
  static final String VARIABLE = "DRAINHOST_CHILD_FAST_START";

  static boolean enabled() {
    return Boolean.getBoolean(PROPERTY) || "true".equals(System.getenv(VARIABLE));
  }

  /** The options for a child of {@code jar}, and the archive it trains, if it does. */
  record Options(List<String> jvm, Optional<Training> training) {}

  /** A child writing the archive at its exit: {@link #done} publishes what it wrote. */
  record Training(Path written, Path archive, Path marker) {
    void done() {
      try {
        if (Files.size(written) >= SMALLEST_ARCHIVE) {
          Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        // No archive this time: a later child trains again.
      } finally {
        deleteQuietly(written);
        deleteQuietly(marker);
      }
    }
  }

  static Options options(Path jar) {
    if (!enabled()) {
      return new Options(List.of(), Optional.empty());
    }
    List<String> jvm = new ArrayList<>();
    jvm.add("-XX:TieredStopAtLevel=1");
    // CDS's own lines (classes it cannot archive) are not the child's output.
    jvm.add("-Xlog:cds*=off");
    try {
      Path archive = archiveFor(jar);
      if (Files.isRegularFile(archive)) {
        jvm.add("-XX:SharedArchiveFile=" + archive);
        return new Options(jvm, Optional.empty());
      }
      Path marker = archive.resolveSibling(archive.getFileName() + ".training");
      if (!claim(marker)) {
        return new Options(jvm, Optional.empty());
      }
      Path written = Files.createTempFile(archive.getParent(), "training-", ".jsa");
      Files.delete(written); // the JVM writes it at exit
      Training training = new Training(written, archive, marker);
      if (jar.getFileName().toString().equals(HOST_JAR)) {
        trainHost(jar, jvm, training);
        if (Files.isRegularFile(archive)) {
          jvm.add("-XX:SharedArchiveFile=" + archive);
        }
        return new Options(jvm, Optional.empty());
      }
      jvm.add("-XX:ArchiveClassesAtExit=" + written);
      return new Options(jvm, Optional.of(training));
    } catch (IOException e) {
      return new Options(jvm, Optional.empty());
    }
  }

  /** A start of the host on its embedded Temporal, stopped with SIGTERM once it serves. */
  private static void trainHost(Path jar, List<String> jvm, Training training) {
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.java());
    command.addAll(jvm);
    command.add("-XX:ArchiveClassesAtExit=" + training.written());
    command.addAll(List.of("-Xmx256m", "-jar", jar.toString()));
    try (ChildProcess host =
        ChildProcess.exec(
            "cds-training",
            Map.of("DRAINHOST_PORT", "0", "DRAINHOST_BIND", "127.0.0.1"),
            command)) {
      host.awaitLog("to=serving", Duration.ofSeconds(60));
      host.signal("TERM");
      host.awaitExit(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      // No archive, or a partial one (kept only past SMALLEST_ARCHIVE): the children start
      // without it, and a later one trains again.
    } finally {
      training.done();
    }
  }

  private static Path archiveFor(Path jar) throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "drainhost-child-cds");
    Files.createDirectories(dir);
    String name =
        jar.getFileName()
            + "-"
            + Files.size(jar)
            + "-"
            + Files.getLastModifiedTime(jar).toMillis()
            + "-"
            + Runtime.version().toString().replaceAll("[^A-Za-z0-9.]", "_")
            + ".jsa";
    return dir.resolve(name);
  }

  /** One training child at a time, across the build's test JVMs. */
  private static boolean claim(Path marker) throws IOException {
    try {
      Files.createFile(marker);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      FileTime t = Files.getLastModifiedTime(marker);
      if (t.toInstant().isBefore(Instant.now().minus(STALE_TRAINING))) {
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
        return true;
      }
      return false;
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // nothing to clean
    }
  }
}
