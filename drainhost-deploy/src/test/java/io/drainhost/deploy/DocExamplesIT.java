package io.drainhost.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drainhost.testing.ChildProcess;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every {@code drainhost-deploy} command of the README and of docs/drainhost-deploy.md runs as
 * written, in bash from the repository's root, on a real Temporal server and moto: the first
 * release from the shipped files for real (real hosts poll), every later one as a dry run. Only the
 * account's own ids (subnet, security group, target group) are replaced by moto's; the namespace is
 * the one the shipped task definition names, made on the dev server.
 */
class DocExamplesIT extends DeploySuite {
  static final List<String> PAGES = List.of("docs/drainhost-deploy.md", "README.md");
  static final String NAMESPACE = "my-namespace.a1b2c";

  /** The commands of the pages' sh blocks that run the tool, continuation lines joined. */
  static List<String> examples() {
    Set<String> commands = new LinkedHashSet<>();
    for (String page : PAGES) {
      String text;
      try {
        text = Files.readString(ROOT.resolve(page));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      boolean inSh = false;
      StringBuilder command = new StringBuilder();
      for (String line : text.split("\n")) {
        if (line.startsWith("```")) {
          inSh = line.equals("```sh");
          continue;
        }
        if (!inSh) {
          continue;
        }
        String l = line.replaceAll("\\s+#.*$", "");
        command.append(l.endsWith("\\") ? l.substring(0, l.length() - 1) : l);
        if (!l.endsWith("\\")) {
          String c = command.toString().trim().replaceAll("\\s+", " ");
          if (c.contains("drainhost-deploy.jar ")) {
            commands.add(c);
          }
          command.setLength(0);
        }
      }
    }
    return new ArrayList<>(commands);
  }

  @Test
  void everyCommandOfTheDocsRunsAsWritten() {
    List<String> examples = examples();
    assertTrue(examples.size() >= 8, "the pages' commands: " + examples);
    for (String sub : List.of("deploy", "rollout", "check", "status", "rollback", "sunset")) {
      assertTrue(
          examples.stream().anyMatch(c -> c.contains("drainhost-deploy.jar " + sub + " ")),
          sub + " has an example");
    }
    stubs
        .blockingStub()
        .registerNamespace(
            RegisterNamespaceRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowExecutionRetentionPeriod(com.google.protobuf.util.Durations.fromDays(1))
                .build());
    Map<String, String> env = toolEnv();
    env.put("TEMPORAL_NAMESPACE", NAMESPACE);
    // The host's sample workflows on the task queue the shipped task definition names.
    try (EcsFleet fleet = new EcsFleet(ecs(), "prod", temporal.port(), "drainhost", Map.of())) {
      fleet.ecs.createCluster(b -> b.clusterName("prod"));
      boolean released = false;
      for (String example : examples) {
        String command =
            example
                .replace("subnet-0a1b2c3d", subnet)
                .replace("sg-0a1b2c3d", securityGroup)
                .replaceAll("arn:aws:elasticloadbalancing:\\S+", targetGroupArn);
        boolean first = command.contains(" deploy ") && command.contains("--task-definition");
        boolean changes = command.matches(".* (deploy|rollout|rollback|sunset) .*");
        if (changes && !first && !command.contains("--dry-run")) {
          command += " --dry-run";
        }
        ChildProcess p =
            ChildProcess.exec(
                "doc-example",
                env,
                List.of("bash", "-c", "cd '" + ROOT.toAbsolutePath() + "' && " + command));
        int exit = p.awaitExit(Duration.ofMinutes(4));
        System.out.println("--- " + command + "\nexited " + exit + "\n" + p.output());
        assertFalse(p.output().contains("\tat "), "no stack trace: " + p.output());
        if (command.contains(" rollback ")) {
          // One version, nothing before it: the refusal the page describes.
          assertEquals(3, exit, command + "\n" + p.output());
          assertTrue(p.output().contains("nothing to roll back to"), p.output());
        } else {
          assertEquals(0, exit, command + "\n" + p.output());
        }
        if (first) {
          assertTrue(p.output().contains("orders:1.4.1 is current"), p.output());
          released = true;
        }
      }
      assertTrue(released, "the first release's example ran");
    }
  }
}
