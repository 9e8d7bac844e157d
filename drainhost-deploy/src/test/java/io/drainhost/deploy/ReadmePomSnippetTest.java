package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's pom snippets are what {@code examples/orders} builds with, and CI builds that
 * project with the Maven {@code .ci/run} has (3.8, whose default compiler plugin compiles for Java
 * 5): every plugin the snippets name is pinned there at the same version, and so is the release.
 */
class ReadmePomSnippetTest {
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));

  @Test
  void everyPluginOfTheReadmesPomSnippetIsPinnedAsTheExampleThatCiBuildsPinsIt()
      throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String example =
        Files.readString(ROOT.resolve("examples/orders/pom.xml")).replaceAll("\\s", "");
    List<String> snippets = new ArrayList<>();
    Matcher m = Pattern.compile("```xml\n(.*?)```", Pattern.DOTALL).matcher(readme);
    while (m.find()) {
      snippets.add(m.group(1));
    }
    assertFalse(snippets.isEmpty());
    String all = String.join("\n", snippets);
    Matcher plugin =
        Pattern.compile(
                "<plugin>\\s*<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>\\s*"
                    + "<version>([^<]+)</version>")
            .matcher(all);
    List<String> plugins = new ArrayList<>();
    while (plugin.find()) {
      String pinned =
          "<groupId>"
              + plugin.group(1)
              + "</groupId><artifactId>"
              + plugin.group(2)
              + "</artifactId><version>"
              + plugin.group(3)
              + "</version>";
      assertTrue(example.contains(pinned), plugin.group(2) + " pinned as in examples/orders");
      plugins.add(plugin.group(2));
    }
    assertTrue(plugins.contains("maven-compiler-plugin"), "the compiler plugin is pinned");
    assertTrue(plugins.contains("maven-shade-plugin"), plugins.toString());
    assertTrue(all.contains("<maven.compiler.release>17</maven.compiler.release>"));
    assertTrue(example.contains("<maven.compiler.release>17</maven.compiler.release>"));
  }
}
