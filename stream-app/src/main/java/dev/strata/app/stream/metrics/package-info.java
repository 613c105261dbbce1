/**
 * Micrometer implementation of {@link dev.strata.app.stream.StreamMetrics} and the Prometheus
 * {@code /metrics} and {@code /health} endpoint served on {@code metrics.port}.
 */
package dev.strata.app.stream.metrics;
