package io.drainhost.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.drainhost.testing.ChildProcess;
import io.drainhost.testing.DrainReports;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import java.util.ArrayList;
import java.util.List;

/** What the fleet tests do to several hosts at once, and read of them after. */
public final class Fleets {
  private Fleets() {}

  /** One {@code kill} for all: the hosts get SIGTERM in the same instant, as a fleet does. */
  public static void signalAll(List<ChildProcess> hosts) throws Exception {
    List<String> command = new ArrayList<>(List.of("kill", "-TERM"));
    hosts.forEach(h -> command.add(Long.toString(h.pid())));
    assertEquals(0, new ProcessBuilder(command).inheritIO().start().waitFor());
  }

  /** A number of a drain report ({@code handedOff=…}); fails when it has none. */
  public static int field(String report, String name) {
    return (int)
        DrainReports.number(report, name)
            .orElseThrow(() -> new AssertionError(name + " in " + report));
  }

  /** Runs of these queues that completed, by visibility: one call per queue, not one per run. */
  public static long completed(Histories histories, List<String> queues) {
    long n = 0;
    for (String queue : queues) {
      n +=
          histories
              .client()
              .getWorkflowServiceStubs()
              .blockingStub()
              .countWorkflowExecutions(
                  CountWorkflowExecutionsRequest.newBuilder()
                      .setNamespace("default")
                      .setQuery("TaskQueue = '" + queue + "' AND ExecutionStatus = 'Completed'")
                      .build())
              .getCount();
    }
    return n;
  }
}
