package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.DeadLetters;
import dev.strata.app.stream.RecordSizeLimit;
import dev.strata.app.stream.StreamMetrics;
import dev.strata.schemas.avro.FeedbackRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The feedback sub-topology:
 *
 * <pre>
 * feedback (bytes) → validate ─ valid → key by head → repartition "feedback-by-head" → store [strata-feedback]
 *                              └ invalid → dead-letter (original bytes + strata.dlq.* headers)
 * </pre>
 *
 * <p>The repartition by head name puts all feedback of one head in one partition of the internal
 * topic {@code <application.id>-feedback-by-head-repartition}, so exactly one active task (and so
 * one instance) owns a head's examples; the {@link Retrainer} trains only heads whose store is
 * local and active.
 */
public final class FeedbackTopology {
  /** The feedback store: key {@code head\0id}, value {@link StoredFeedback}. */
  public static final String STORE = "strata-feedback";

  /** Name of the repartition step; the internal topic is {@code <app id>-NAME-repartition}. */
  public static final String REPARTITION = "feedback-by-head";

  static final String SOURCE = "feedback-input";
  static final String VALIDATE = "feedback-validate";
  static final String DEAD_LETTER = "feedback-dead-letter";
  static final String STORE_PROCESSOR = "feedback-store";

  private FeedbackTopology() {}

  /**
   * Settings of the sub-topology.
   *
   * @param topic feedback topic
   * @param deadLetterTopic dead-letter topic
   * @param maxPerHead {@code feedback.max.per.head}
   * @param sizeLimit the largest record the application may write
   */
  public record Settings(
      String topic, String deadLetterTopic, int maxPerHead, RecordSizeLimit sizeLimit) {
    public Settings {
      requireNonNull(topic, "topic");
      requireNonNull(deadLetterTopic, "deadLetterTopic");
      requireNonNull(sizeLimit, "sizeLimit");
      if (maxPerHead < 1) {
        throw new IllegalArgumentException("maxPerHead must be at least 1, got " + maxPerHead);
      }
    }
  }

  /** Adds the feedback path to {@code builder}. */
  public static void addTo(
      StreamsBuilder builder,
      Settings settings,
      Deserializer<FeedbackRecord> deserializer,
      FeedbackValidator validator,
      StreamMetrics streamMetrics,
      FeedbackMetrics metrics) {
    requireNonNull(builder, "builder");
    requireNonNull(settings, "settings");
    StoreBuilder<KeyValueStore<String, StoredFeedback>> store =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STORE), Serdes.String(), StoredFeedback.serde());
    builder.addStateStore(store);
    KStream<byte[], FeedbackCheck> checked =
        builder.stream(
                settings.topic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName(SOURCE))
            .process(
                () ->
                    new FeedbackValidation(
                        deserializer,
                        validator,
                        streamMetrics,
                        metrics,
                        settings.topic(),
                        settings.sizeLimit()),
                Named.as(VALIDATE));
    checked
        .filterNot((k, v) -> v.isAccepted(), Named.as("feedback-invalid"))
        .mapValues(FeedbackCheck::rejected, Named.as("feedback-original-bytes"))
        .to(
            settings.deadLetterTopic(),
            Produced.with(
                    Serdes.ByteArray(),
                    Serdes.serdeFrom(
                        DeadLetters.valueSerializer(settings.sizeLimit()),
                        new ByteArrayDeserializer()))
                .withName(DEAD_LETTER));
    checked
        .filter((k, v) -> v.isAccepted(), Named.as("feedback-valid"))
        .map(
            (k, v) -> KeyValue.pair(v.accepted().getHead(), v.accepted()),
            Named.as("feedback-key-by-head"))
        .repartition(
            Repartitioned.with(Serdes.String(), StoredFeedback.recordSerde()).withName(REPARTITION))
        .process(
            () -> new FeedbackStore(STORE, settings.maxPerHead(), metrics),
            Named.as(STORE_PROCESSOR),
            STORE);
  }
}
