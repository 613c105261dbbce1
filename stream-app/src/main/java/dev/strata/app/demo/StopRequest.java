package dev.strata.app.demo;

import java.io.PrintStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/**
 * A request to stop the demo, from Ctrl-C (SIGINT) or SIGTERM. The signal is handled instead of
 * exiting at once, so that the demo closes the producer, the consumer, the application, the model
 * and the infrastructure it started, then exits 0. A second signal while stopping (more than a
 * second after the first, so that one interrupt delivered to both the process and its group counts
 * once) exits at once.
 */
final class StopRequest {
  private final CopyOnWriteArrayList<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final CountDownLatch requested = new CountDownLatch(1);
  private final PrintStream out;

  /** A second signal within this window counts as the same interrupt. */
  private static final long REPEAT_WINDOW_NANOS = 1_000_000_000L;

  private volatile long firstSignalNanos;

  private StopRequest(PrintStream out) {
    this.out = out;
  }

  /** A request nobody signals (tests, or stopping from code). */
  static StopRequest manual(PrintStream out) {
    return new StopRequest(out);
  }

  /** A request raised by SIGINT or SIGTERM (from now on, for the life of the JVM). */
  static StopRequest onSignals(PrintStream out) {
    StopRequest r = new StopRequest(out);
    for (String name : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(name), sig -> r.signal());
    }
    return r;
  }

  private void signal() {
    long now = System.nanoTime();
    if (isRequested()) {
      if (now - firstSignalNanos < REPEAT_WINDOW_NANOS) {
        return; // the same interrupt delivered twice (to the process and to its group)
      }
      out.println(
          "strata demo: second interrupt, exiting without cleaning up;"
              + " stop the infrastructure with ./strata infra stop");
      out.flush();
      Runtime.getRuntime().halt(130);
    }
    firstSignalNanos = now;
    out.println();
    out.println("strata demo: stopping (Ctrl-C again to exit at once)...");
    request();
  }

  /** Raises the request and runs the listeners once. */
  void request() {
    if (requested.getCount() == 0) {
      return;
    }
    requested.countDown();
    listeners.forEach(StopRequest::runQuietly);
  }

  /** A listener may act on something already closed (the run ended first); that is fine. */
  private static void runQuietly(Runnable listener) {
    try {
      listener.run();
    } catch (RuntimeException alreadyClosed) {
      // Nothing left to stop.
    }
  }

  boolean isRequested() {
    return requested.getCount() == 0;
  }

  /** Runs {@code listener} when the request is raised (at once if it already was). */
  void onRequest(Runnable listener) {
    listeners.add(listener);
    if (isRequested()) {
      runQuietly(listener);
    }
  }

  /** Waits up to {@code millis} for the request; true when it was raised. */
  boolean await(long millis) throws InterruptedException {
    return requested.await(millis, TimeUnit.MILLISECONDS);
  }
}
