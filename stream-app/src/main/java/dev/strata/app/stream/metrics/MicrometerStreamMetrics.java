package dev.strata.app.stream.metrics;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.DeadLetterReason;
import dev.strata.app.stream.StreamMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@link StreamMetrics} as Micrometer meters: {@code strata.records.in}, {@code
 * strata.records.out}, {@code strata.records.dead.lettered} (tags {@code reason} and {@code
 * source}, {@code input} or {@code feedback}), {@code strata.batch.size} and {@code
 * strata.batch.tokens} (histograms), {@code strata.inference} (timer per batch), {@code
 * strata.end.to.end} (histogram in milliseconds per output record, from the input record's
 * timestamp to emission) and {@code strata.model.info} (gauge 1 tagged with the serving model's
 * {@code version}).
 */
public final class MicrometerStreamMetrics implements StreamMetrics {
  private final Counter in;
  private final Counter out;
  private final Map<DeadLetterReason, Counter> deadLettered = new EnumMap<>(DeadLetterReason.class);
  private final Map<DeadLetterReason, Counter> feedbackDeadLettered =
      new EnumMap<>(DeadLetterReason.class);
  private final DistributionSummary batchSize;
  private final DistributionSummary batchTokens;
  private final Timer inference;
  private final DistributionSummary endToEnd;
  private final MultiGauge modelInfo;

  public MicrometerStreamMetrics(MeterRegistry registry) {
    requireNonNull(registry, "registry");
    in =
        Counter.builder("strata.records.in")
            .description("Input records read, including those dead-lettered")
            .register(registry);
    out =
        Counter.builder("strata.records.out")
            .description("Annotated records forwarded to the output topic")
            .register(registry);
    for (DeadLetterReason reason : DeadLetterReason.values()) {
      deadLettered.put(reason, deadLetterCounter(registry, reason, "input"));
      feedbackDeadLettered.put(reason, deadLetterCounter(registry, reason, "feedback"));
    }
    batchSize =
        DistributionSummary.builder("strata.batch.size")
            .description("Texts per inferred micro-batch")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256, 512)
            .register(registry);
    batchTokens =
        DistributionSummary.builder("strata.batch.tokens")
            .description("Sub-tokens per inferred micro-batch")
            .serviceLevelObjectives(64, 256, 1024, 4096, 16384)
            .register(registry);
    inference =
        Timer.builder("strata.inference")
            .description("Wall-clock time of the model call per micro-batch")
            .publishPercentileHistogram()
            .register(registry);
    endToEnd =
        DistributionSummary.builder("strata.end.to.end")
            .description(
                "Milliseconds from an input record's timestamp to the emission of its output")
            .baseUnit("milliseconds")
            .serviceLevelObjectives(
                5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
            .register(registry);
    modelInfo =
        MultiGauge.builder("strata.model.info")
            .description("1 for the model version in service")
            .register(registry);
  }

  @Override
  public void recordIn() {
    in.increment();
  }

  @Override
  public void recordOut() {
    out.increment();
  }

  @Override
  public void endToEnd(long millis) {
    endToEnd.record(millis);
  }

  @Override
  public void modelInService(String version) {
    requireNonNull(version, "version");
    modelInfo.register(List.of(MultiGauge.Row.of(Tags.of("version", version), 1)), true);
  }

  private static Counter deadLetterCounter(
      MeterRegistry registry, DeadLetterReason reason, String source) {
    return Counter.builder("strata.records.dead.lettered")
        .description("Records forwarded to the dead-letter topic, by reason and source topic")
        .tag("reason", reason.name())
        .tag("source", source)
        .register(registry);
  }

  @Override
  public void deadLettered(DeadLetterReason reason) {
    deadLettered.get(reason).increment();
  }

  @Override
  public void feedbackDeadLettered(DeadLetterReason reason) {
    feedbackDeadLettered.get(reason).increment();
  }

  @Override
  public void batchInferred(int size, long tokens, double inferenceMs) {
    batchSize.record(size);
    batchTokens.record(tokens);
    inference.record((long) (inferenceMs * 1_000_000), TimeUnit.NANOSECONDS);
  }
}
