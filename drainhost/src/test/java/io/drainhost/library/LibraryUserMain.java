package io.drainhost.library;

import io.drainhost.DrainHost;

/** A user's main, as the README shows it; run in a child process by {@link LibraryHostIT}. */
public final class LibraryUserMain {
  public static void main(String[] args) {
    System.exit(
        DrainHost.builder()
            .registerWorkflowImplementationTypes(ReportWorkflowImpl.class)
            .registerActivitiesImplementations(new ReportActivitiesImpl())
            .run());
  }
}
