package io.drainhost.schedules;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The missed and failed fires this machine has already warned about, in a small file, so that a
 * restarted host does not warn about the same fire again. Hosts on one machine share the file
 * (under a lock); a host on another machine warns once itself.
 */
final class ReportedFires {
  private static final Logger log = LoggerFactory.getLogger(ReportedFires.class);
  private static final int KEPT_PER_SCHEDULE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  ReportedFires(Path file) {
    this.file = file;
  }

  /** Records the report; true when nobody on this machine had reported it before. */
  synchronized boolean firstReport(String scheduleId, String report) {
    try {
      Files.createDirectories(file.getParent());
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Map<String, List<String>> all = read();
        List<String> reports = all.computeIfAbsent(scheduleId, k -> new ArrayList<>());
        if (reports.contains(report)) {
          return false;
        }
        reports.add(report);
        while (reports.size() > KEPT_PER_SCHEDULE) {
          reports.remove(0);
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), all);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
      }
    } catch (IOException | RuntimeException e) {
      // Better a repeated warning than none.
      log.debug("cannot keep reported fires in {}: {}", file, e.toString());
      return true;
    }
  }

  private Map<String, List<String>> read() throws IOException {
    if (!Files.isRegularFile(file)) {
      return new HashMap<>();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<Map<String, List<String>>>() {});
    } catch (IOException corrupt) {
      return new HashMap<>();
    }
  }
}
