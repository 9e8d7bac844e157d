package io.drainhost.ecs;

import io.drainhost.ecs.LoadBalancerSilence.Action;
import io.drainhost.threads.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Feeds {@link LoadBalancerSilence} from HTTP and a timer, and suspends or resumes polling. */
public final class LoadBalancerSilenceWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LoadBalancerSilenceWatcher.class);

  /** What the watcher switches: the workers' polling. */
  public interface Polling {
    void suspend();

    void resume();
  }

  private final LoadBalancerSilence silence;
  private final Duration silenceAfter;
  private final Polling polling;
  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("drainhost-lb-silence"));

  public LoadBalancerSilenceWatcher(Duration silenceAfter, Polling polling) {
    this.silence = new LoadBalancerSilence(silenceAfter);
    this.silenceAfter = silenceAfter;
    this.polling = polling;
  }

  public void start() {
    long period = Math.max(100, silenceAfter.toMillis() / 10);
    scheduler.scheduleWithFixedDelay(this::evaluate, period, period, TimeUnit.MILLISECONDS);
    log.info("load-balancer silence detection on: silenceAfter={}ms", silenceAfter.toMillis());
  }

  /** Called for every {@code /health} request with its user agent. */
  public void healthCheck(String userAgent) {
    if (!LoadBalancerSilence.isLoadBalancerCheck(userAgent)) {
      return;
    }
    if (silence.checkSeen(Instant.now()) == Action.RESUME) {
      log.info("load-balancer health checks are back: resuming polling");
      // Off the request thread: resuming starts workers, which asks Temporal for the namespace.
      scheduler.execute(this::resume);
    }
  }

  private void evaluate() {
    try {
      if (silence.evaluate(Instant.now()) == Action.SUSPEND) {
        log.warn(
            "no load-balancer health check for over {}ms (last at {}): the target is probably"
                + " deregistered; suspending polling so in-flight work finishes before SIGTERM",
            silenceAfter.toMillis(),
            silence.lastCheck());
        polling.suspend();
      }
    } catch (RuntimeException e) {
      log.warn("load-balancer silence check failed: error={}", e.toString());
    }
  }

  private void resume() {
    try {
      polling.resume();
    } catch (RuntimeException e) {
      log.warn(
          "resuming polling failed, retried when Temporal is reachable: error={}", e.toString());
    }
  }

  public boolean suspended() {
    return silence.suspended();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
