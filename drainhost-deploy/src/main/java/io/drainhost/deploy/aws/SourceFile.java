package io.drainhost.deploy.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file a first release starts from (the task definition, the service settings), read once where
 * the command runs: a release runs its steps in a worker that may be elsewhere (the controller), so
 * it carries the file's text, not its path.
 *
 * @param name the path as given, for messages
 */
public record SourceFile(String name, String text) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The file's text; a missing or unreadable file is the caller's mistake, named. */
  public static SourceFile read(Path file, String what) {
    try {
      return new SourceFile(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the " + what + " file " + file + ": " + e);
    }
  }

  public JsonNode json(String what) {
    try {
      return JSON.readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the " + what + " file " + name + " is not JSON: " + e.getOriginalMessage());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
