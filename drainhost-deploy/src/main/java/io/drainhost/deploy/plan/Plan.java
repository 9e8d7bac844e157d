package io.drainhost.deploy.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * What one pass decided: the actions to take now, and what then: observe again after a pause
 * ({@link Next#CONTINUE}), or stop with an exit code and a line that says why.
 */
public record Plan(List<Action> actions, Next next, int exitCode, String message) {
  public Plan {
    actions = List.copyOf(actions);
  }

  /** What the tool does after the actions. */
  public enum Next {
    /** Observe again after a pause: something is under way (pollers, a gate, a step). */
    CONTINUE,
    /** Stop: done, or refused. */
    STOP
  }

  /** Exit codes a pipeline reads (the module's own; see DeployException). */
  public static final int DONE = 0;

  public static final int UNAVAILABLE = 1;
  public static final int USAGE = 2;
  public static final int REFUSED = 3;

  public static Plan waiting(String why, List<Action> actions) {
    return new Plan(actions, Next.CONTINUE, DONE, why);
  }

  public static Plan waiting(String why) {
    return waiting(why, List.of());
  }

  public static Plan done(String why, List<Action> actions) {
    return new Plan(actions, Next.STOP, DONE, why);
  }

  public static Plan done(String why) {
    return done(why, List.of());
  }

  public static Plan refused(String why, List<Action> actions) {
    return new Plan(actions, Next.STOP, REFUSED, why);
  }

  public static Plan usage(String why) {
    return new Plan(List.of(), Next.STOP, USAGE, why);
  }

  public boolean stops() {
    return next == Next.STOP;
  }

  /** The plan as lines: each action with its reason, then what comes next. */
  public List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (Action a : actions) {
      lines.add(a.describe() + "  (" + a.reason() + ")");
    }
    lines.add((stops() ? (exitCode == DONE ? "done: " : "stop: ") : "then: ") + message);
    return lines;
  }
}
