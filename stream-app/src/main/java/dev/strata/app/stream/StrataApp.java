package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.FeedbackLoop;
import dev.strata.app.feedback.FeedbackMetrics;
import dev.strata.app.feedback.FeedbackValidator;
import dev.strata.app.feedback.HeadRefiner;
import dev.strata.app.feedback.StructuralFeedbackValidator;
import dev.strata.app.feedback.SwappableAnnotator;
import dev.strata.app.stream.metrics.MetricsServer;
import dev.strata.app.stream.metrics.MicrometerFeedbackMetrics;
import dev.strata.app.stream.metrics.MicrometerStreamMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.CloseOptions;
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

  /** How long start-up waits for the heads watcher to load the published heads. */
  static final Duration HEADS_CATCH_UP = Duration.ofSeconds(60);

  private final KafkaStreams streams;
  private final StrataSerdes serdes;
  private KafkaStreamsMetrics streamsMetrics;
  private FeedbackLoop feedbackLoop;
  private MetricsServer metricsServer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean failed;
  private volatile boolean threadsStopped = true;

  private StrataApp(KafkaStreams streams, StrataSerdes serdes) {
    this.streams = streams;
    this.serdes = serdes;
  }

  /**
   * The model-side parts of the feedback loop.
   *
   * @param validator checks feedback records
   * @param refiner trains heads; {@code null} when this instance only serves
   */
  public record FeedbackParts(FeedbackValidator validator, HeadRefiner refiner) {
    public FeedbackParts {
      requireNonNull(validator, "validator");
    }

    /** Structural validation only, no retraining. */
    public static FeedbackParts servingOnly() {
      return new FeedbackParts(new StructuralFeedbackValidator(), null);
    }
  }

  /** Builds and starts the application without retraining. */
  public static StrataApp start(StrataConfig config, Annotator annotator) {
    return start(config, annotator, FeedbackParts.servingOnly());
  }

  /**
   * Builds and starts the application; returns at once (processing runs on stream threads). When
   * {@code annotator} is a {@link SwappableAnnotator}, published heads are loaded from the heads
   * topic and swapped in between batches; with a refiner, heads this instance owns are retrained.
   */
  public static StrataApp start(StrataConfig config, Annotator annotator, FeedbackParts feedback) {
    requireNonNull(config, "config");
    requireNonNull(annotator, "annotator");
    requireNonNull(feedback, "feedback");
    StrataSerdes serdes = StrataSerdes.confluent(config);
    PrometheusMeterRegistry registry =
        config.metricsPort() == 0 ? null : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    StreamMetrics metrics =
        registry == null ? StreamMetrics.NONE : new MicrometerStreamMetrics(registry);
    metrics.modelInService(annotator.modelVersion());
    FeedbackMetrics feedbackMetrics =
        registry == null ? FeedbackMetrics.NONE : new MicrometerFeedbackMetrics(registry);
    Topology topology =
        StrataTopology.build(
            config, annotator, serdes, metrics, feedback.validator(), feedbackMetrics);
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
                new StreamsHealth(
                    streams::state,
                    () -> app.failed || app.feedbackLoop != null && !app.feedbackLoop.healthy(),
                    () ->
                        annotator.loaded()
                            && (app.feedbackLoop == null || app.feedbackLoop.caughtUp())));
      } catch (RuntimeException e) {
        app.streamsMetrics.close();
        streams.close();
        throw e;
      }
      LOG.info(
          "Metrics on http://0.0.0.0:{}{}, health on {} and {}",
          app.metricsServer.port(),
          MetricsServer.METRICS_PATH,
          MetricsServer.LIVE_PATH,
          MetricsServer.READY_PATH);
    }
    if (annotator instanceof SwappableAnnotator swappable) {
      // The heads watcher starts first, so that the published heads (not the model file's
      // possibly older head) annotate the first batch; the retrainer waits for the stores.
      try {
        app.feedbackLoop =
            FeedbackLoop.start(
                config, streams, swappable, serdes.heads(), feedback.refiner(), feedbackMetrics);
        if (!app.feedbackLoop.awaitCaughtUp(HEADS_CATCH_UP)) {
          LOG.warn(
              "The heads topic {} was not read to its end within {}; starting with the heads"
                  + " loaded so far (the others swap in as they load)",
              config.headsTopic(),
              HEADS_CATCH_UP);
        }
      } catch (RuntimeException e) {
        app.close();
        throw e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        app.close();
        throw new IllegalStateException("Interrupted while loading the published heads", e);
      }
    } else if (feedback.refiner() != null) {
      LOG.warn(
          "A head refiner was given but the annotator cannot swap heads; feedback is stored but"
              + " no head is retrained");
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

  /**
   * Whether every thread that uses the model (stream threads, retrainer, heads watcher) ended
   * within its timeout in {@link #close()}; if not, the caller must not free the model's native
   * resources (the process exit does).
   */
  public boolean threadsStopped() {
    return threadsStopped;
  }

  /** The running client, e.g. for metrics. */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Stops processing, commits, leaves the consumer group (so that the partitions move to the other
   * instances, or back to a restarted one, at once instead of after {@code session.timeout.ms}),
   * and releases the serdes; safe to call more than once.
   */
  @Override
  public synchronized void close() {
    // Stop the background threads first without waiting, so that a long refinement cannot delay
    // the commit and the leave-group of Kafka Streams past an orchestrator's grace period.
    FeedbackLoop loop = feedbackLoop;
    feedbackLoop = null;
    if (loop != null) {
      loop.stop();
    }
    boolean stoppedInTime =
        streams.close(
            CloseOptions.timeout(CLOSE_TIMEOUT)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    if (!stoppedInTime) {
      LOG.warn("Kafka Streams did not stop within {}; exiting anyway", CLOSE_TIMEOUT);
    }
    if (loop != null) {
      stoppedInTime &= loop.awaitStopped(CLOSE_TIMEOUT);
    }
    threadsStopped &= stoppedInTime;
    if (metricsServer != null) {
      metricsServer.close();
      streamsMetrics.close();
    }
    serdes.close();
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
