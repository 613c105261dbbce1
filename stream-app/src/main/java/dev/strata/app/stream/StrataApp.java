package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.metrics.MetricsServer;
import dev.strata.app.stream.metrics.MicrometerStreamMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin runner: builds the serdes and the topology from a parsed config, starts {@link
 * KafkaStreams}, and closes everything once. Transient failures ({@link TransientStreamsException})
 * replace the failed stream thread; anything else stops the client, and {@link #awaitTermination()}
 * returns {@code false}.
 */
public final class StrataApp implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StrataApp.class);

  /** How long {@link #close()} waits for in-flight batches and the final commit. */
  public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final StrataSerdes serdes;
  private KafkaStreamsMetrics streamsMetrics;
  private MetricsServer metricsServer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean failed;

  private StrataApp(KafkaStreams streams, StrataSerdes serdes) {
    this.streams = streams;
    this.serdes = serdes;
  }

  /** Builds and starts the application; returns at once (processing runs on stream threads). */
  public static StrataApp start(StrataConfig config, Annotator annotator) {
    requireNonNull(config, "config");
    requireNonNull(annotator, "annotator");
    StrataSerdes serdes = StrataSerdes.confluent(config);
    PrometheusMeterRegistry registry =
        config.metricsPort() == 0 ? null : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StreamMetrics metrics =
        registry == null ? StreamMetrics.NONE : new MicrometerStreamMetrics(registry);
    metrics.modelInService(annotator.modelVersion());
    Topology topology = StrataTopology.build(config, annotator, serdes, metrics);
    LOG.info(
        "Starting {} on {}: {} -> {} (dead letters: {}), model {}, {}",
        config.applicationId(),
        config.bootstrapServers(),
        config.inputTopic(),
        config.outputTopic(),
        config.deadLetterTopic(),
        annotator.modelVersion(),
        config.processingGuarantee());
    LOG.debug("Topology:\n{}", topology.describe());
    KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
    StrataApp app = new StrataApp(streams, serdes);
    streams.setUncaughtExceptionHandler(
        e -> {
          if (causedBy(e, TransientStreamsException.class)) {
            LOG.warn("Replacing the stream thread after a transient failure: {}", e.getMessage());
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          }
          LOG.error("Stopping {}: {}", config.applicationId(), e.getMessage(), e);
          app.failed = true;
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          LOG.info("Kafka Streams state {} -> {}", before, now);
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            if (now == KafkaStreams.State.ERROR) {
              app.failed = true;
            }
            app.stopped.countDown();
          }
        });
    if (registry != null) {
      app.streamsMetrics = new KafkaStreamsMetrics(streams);
      app.streamsMetrics.bindTo(registry);
      try {
        app.metricsServer =
            MetricsServer.start(
                config.metricsPort(),
                registry,
                new StreamsHealth(streams::state, () -> app.failed, annotator::loaded));
      } catch (RuntimeException e) {
        app.streamsMetrics.close();
        streams.close();
        throw e;
      }
      LOG.info(
          "Metrics on http://0.0.0.0:{}/metrics, health on /health/live and /health/ready",
          app.metricsServer.port());
    }
    streams.start();
    return app;
  }

  /**
   * Blocks until the application stopped.
   *
   * @return {@code true} after a clean stop, {@code false} after a fatal error
   */
  public boolean awaitTermination() throws InterruptedException {
    stopped.await();
    return !failed;
  }

  /** The running client, e.g. for metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Stops processing, commits, and releases the serdes; safe to call more than once. */
  @Override
  public synchronized void close() {
    if (!streams.close(CLOSE_TIMEOUT)) {
      LOG.warn("Kafka Streams did not stop within {}; exiting anyway", CLOSE_TIMEOUT);
    }
    if (metricsServer != null) {
      metricsServer.close();
      streamsMetrics.close();
    }
    serdes.text().close();
    serdes.annotated().close();
    stopped.countDown();
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
