package dev.strata.app.stream.metrics;

/**
 * What {@link MetricsServer} answers on its health endpoints. Implementations must be cheap and
 * thread-safe: the HTTP thread calls them on every probe.
 */
public interface Health {
  /**
   * Liveness ({@code /health/live}, and {@code /health}): {@code false} only when the process
   * should be restarted, i.e. processing stopped after a failure.
   */
  boolean live();

  /** Readiness ({@code /health/ready}): processing records now with a loaded model. */
  boolean ready();
}
