package io.drainhost.library;

import io.drainhost.DrainHost;
import io.drainhost.DrainHostBuilder;

/** A user's main, as the README shows it; run in a child process by {@link LibraryHostIT}. */
public final class LibraryUserMain {
  public static void main(String[] args) {
    DrainHostBuilder host =
        DrainHost.builder()
            .registerWorkflowImplementationTypes(ReportWorkflowImpl.class)
            .registerActivitiesImplementations(new ReportActivitiesImpl());
    System.exit(
        args.length > 0 && args[0].equals("replay-check") ? host.replayCheck() : host.run());
  }
}
