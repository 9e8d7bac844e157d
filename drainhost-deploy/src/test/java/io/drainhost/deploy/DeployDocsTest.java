package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** docs/drainhost-deploy.md covers every subcommand and every flag that --help shows. */
class DeployDocsTest {
  static final Path ROOT = Path.of(System.getProperty("drainhost.root", ".."));

  @Test
  void everySubcommandHasASectionAndEveryFlagIsDocumented() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/drainhost-deploy.md"));
    CommandLine tool = new CommandLine(new DeployMain());
    List<String> missing = new ArrayList<>();
    tool.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!doc.contains("### `" + name + "`")) {
                missing.add("section " + name);
              }
              for (OptionSpec o : sub.getCommandSpec().options()) {
                if (!doc.contains("`" + o.longestName() + "`")) {
                  missing.add(name + " " + o.longestName());
                }
              }
            });
    assertTrue(tool.getSubcommands().size() >= 6, tool.getSubcommands().keySet().toString());
    assertEquals(List.of(), missing, "documented in docs/drainhost-deploy.md");
  }

  @Test
  void theExitCodesReadTheSameInTheToolTheDocsAndThePlans() throws IOException {
    String doc = Files.readString(ROOT.resolve("docs/drainhost-deploy.md"));
    String exitCodes = Files.readString(ROOT.resolve("docs/exit-codes.md"));
    assertEquals(io.drainhost.deploy.plan.Plan.USAGE, DeployException.USAGE);
    assertEquals(io.drainhost.deploy.plan.Plan.UNAVAILABLE, DeployException.UNAVAILABLE);
    assertEquals(io.drainhost.deploy.plan.Plan.REFUSED, DeployException.REFUSED);
    assertTrue(DeployMain.EXIT_CODES.contains("4 another release of the deployment runs"));
    for (String row :
        List.of(
            "| 0 | done",
            "| 1 | an endpoint failed",
            "| 2 | refused before any change",
            "| 3 | refused on evidence",
            "| 4 | another release of the deployment runs")) {
      assertTrue(doc.contains(row), row);
    }
    assertTrue(
        exitCodes.contains(
            "0 done, 1 an endpoint failed, 2 refused before any change, 3 refused"
                + " on evidence"),
        "docs/exit-codes.md says the same");
  }
}
