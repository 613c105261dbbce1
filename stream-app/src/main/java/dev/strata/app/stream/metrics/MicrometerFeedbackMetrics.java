package dev.strata.app.stream.metrics;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.FeedbackMetrics;
import dev.strata.app.feedback.SwapOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * {@link FeedbackMetrics} as Micrometer meters: {@code strata.feedback.invalid} (tag {@code
 * problem}), {@code strata.feedback.stored} (tags {@code head}, {@code outcome}), {@code
 * strata.retrain.decisions} (tags {@code head}, {@code decision}), {@code strata.retrain.duration}
 * (timer, tag {@code head}), {@code strata.heads.records} (tags {@code head}, {@code outcome}) and
 * {@code strata.heads.watcher.errors} (tag {@code kind}).
 */
public final class MicrometerFeedbackMetrics implements FeedbackMetrics {
  private final MeterRegistry registry;

  public MicrometerFeedbackMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry");
  }

  @Override
  public void invalid(String problem) {
    Counter.builder("strata.feedback.invalid")
        .description("Feedback records dead-lettered as INVALID_FEEDBACK, by problem")
        .tag("problem", problem)
        .register(registry)
        .increment();
  }

  @Override
  public void stored(String head, StoreOutcome outcome) {
    Counter.builder("strata.feedback.stored")
        .description("Feedback store outcomes (STORED, REPLACED, STALE, EVICTED) by head")
        .tag("head", head)
        .tag("outcome", outcome.name())
        .register(registry)
        .increment();
  }

  @Override
  public void retrain(String head, String decision, long elapsedMs) {
    Counter.builder("strata.retrain.decisions")
        .description("Retraining decisions by head and decision")
        .tag("head", head)
        .tag("decision", decision)
        .register(registry)
        .increment();
    Timer.builder("strata.retrain.duration")
        .description("Wall-clock time of one retraining (train + holdout evaluation)")
        .tag("head", head)
        .register(registry)
        .record(elapsedMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void headRecord(String head, SwapOutcome outcome) {
    Counter.builder("strata.heads.records")
        .description("Heads-topic records handled by this instance, by head and outcome")
        .tag("head", head)
        .tag("outcome", outcome.name())
        .register(registry)
        .increment();
  }

  @Override
  public void headsWatcherError(String kind) {
    Counter.builder("strata.heads.watcher.errors")
        .description("Failed polls of the heads watcher (each retried after 5 s), by kind")
        .tag("kind", kind)
        .register(registry)
        .increment();
  }
}
