package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.FeedbackMetrics;
import dev.strata.app.feedback.FeedbackTopology;
import dev.strata.app.feedback.FeedbackValidator;
import dev.strata.app.feedback.StructuralFeedbackValidator;
import dev.strata.schemas.avro.AnnotatedRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The streaming topology, built apart from the runner so tests drive it with {@code
 * TopologyTestDriver}:
 *
 * <pre>
 * input (bytes) → decode → micro-batcher [open-batch store] → output (AnnotatedRecord)
 *                    ↘              ↘
 *                     dead-letter (original bytes + strata.dlq.* headers)
 * </pre>
 *
 * <p>The input is consumed as bytes and decoded in a processor, so a record that cannot be decoded
 * reaches the dead-letter topic with its original key and value bytes and its topic, partition and
 * offset. Keys are passed through unchanged.
 *
 * <p>A second sub-topology, the feedback path ({@link FeedbackTopology}), validates feedback
 * records and keeps them per head for the retrainer.
 */
public final class StrataTopology {
  /** Name of the state store holding the open micro-batch of each task. */
  public static final String BATCH_STORE = "strata-open-batch";

  static final String SOURCE = "input";
  static final String DECODER = "decode";
  static final String BATCHER = "micro-batcher";
  static final String OUTPUT = "output";
  static final String DEAD_LETTER = "dead-letter";

  private StrataTopology() {}

  /**
   * The three topics, each described once.
   *
   * @param input raw input records
   * @param output annotated records
   * @param deadLetter original bytes of records that could not be annotated
   */
  public record Topics(
      TopicSpec<byte[], byte[]> input,
      TopicSpec<byte[], AnnotatedRecord> output,
      TopicSpec<byte[], byte[]> deadLetter) {
    public Topics {
      requireNonNull(input, "input");
      requireNonNull(output, "output");
      requireNonNull(deadLetter, "deadLetter");
    }

    /** Topics named by {@code config}, with {@code serdes} for output values. */
    public static Topics of(StrataConfig config, StrataSerdes serdes) {
      return new Topics(
          new TopicSpec<>(config.inputTopic(), Serdes.ByteArray(), Serdes.ByteArray()),
          new TopicSpec<>(config.outputTopic(), Serdes.ByteArray(), serdes.annotated()),
          new TopicSpec<>(
              config.deadLetterTopic(),
              Serdes.ByteArray(),
              Serdes.serdeFrom(
                  DeadLetters.valueSerializer(config.recordSizeLimit()),
                  new ByteArrayDeserializer())));
    }
  }

  /** Builds the topology without metrics. */
  public static Topology build(StrataConfig config, Annotator annotator, StrataSerdes serdes) {
    return build(config, annotator, serdes, StreamMetrics.NONE);
  }

  /**
   * Builds the topology with the structural feedback validator ({@link
   * StructuralFeedbackValidator}) and no feedback metrics.
   */
  public static Topology build(
      StrataConfig config, Annotator annotator, StrataSerdes serdes, StreamMetrics metrics) {
    return build(
        config,
        annotator,
        serdes,
        metrics,
        new StructuralFeedbackValidator(),
        FeedbackMetrics.NONE);
  }

  /** Builds the topology; pure (no I/O) apart from what the serdes and annotator do later. */
  public static Topology build(
      StrataConfig config,
      Annotator annotator,
      StrataSerdes serdes,
      StreamMetrics metrics,
      FeedbackValidator feedbackValidator,
      FeedbackMetrics feedbackMetrics) {
    requireNonNull(config, "config");
    requireNonNull(feedbackValidator, "feedbackValidator");
    requireNonNull(feedbackMetrics, "feedbackMetrics");
    requireNonNull(metrics, "metrics");
    requireNonNull(annotator, "annotator");
    requireNonNull(serdes, "serdes");
    Topics topics = Topics.of(config, serdes);
    StoreBuilder<KeyValueStore<Long, PendingText>> store =
        Stores.keyValueStoreBuilder(
            config.batchStoreType() == BatchStoreType.IN_MEMORY
                ? Stores.inMemoryKeyValueStore(BATCH_STORE)
                : Stores.persistentKeyValueStore(BATCH_STORE),
            Serdes.Long(),
            PendingText.serde());

    StreamsBuilder builder = new StreamsBuilder();
    FeedbackTopology.addTo(
        builder,
        new FeedbackTopology.Settings(
            config.feedbackTopic(),
            config.deadLetterTopic(),
            config.feedbackMaxPerHead(),
            config.recordSizeLimit()),
        serdes.feedback().deserializer(),
        feedbackValidator,
        metrics,
        feedbackMetrics);
    Topology topology = builder.build();
    topology.addSource(
        SOURCE,
        topics.input().keySerde().deserializer(),
        topics.input().valueSerde().deserializer(),
        topics.input().name());
    topology.addProcessor(
        DECODER,
        () ->
            new TextDecoder(
                serdes.text().deserializer(),
                annotator,
                metrics,
                config.textLimits(),
                topics.input().name(),
                BATCHER,
                DEAD_LETTER),
        SOURCE);
    topology.addProcessor(
        BATCHER,
        () ->
            new MicroBatcher(
                BATCH_STORE,
                annotator,
                metrics,
                config.batchMaxRecords(),
                config.batchMaxTokens(),
                config.batchMaxWait(),
                config.inferenceFailurePolicy(),
                OUTPUT,
                DEAD_LETTER,
                new OutputEncoder(
                    topics.output().valueSerde().serializer(),
                    topics.output().name(),
                    config.recordSizeLimit())),
        DECODER);
    topology.addStateStore(store, BATCHER);
    topology.addSink(
        OUTPUT,
        topics.output().name(),
        topics.output().keySerde().serializer(),
        new ByteArraySerializer(), // the batcher serializes outputs (OutputEncoder)
        BATCHER);
    topology.addSink(
        DEAD_LETTER,
        topics.deadLetter().name(),
        topics.deadLetter().keySerde().serializer(),
        topics.deadLetter().valueSerde().serializer(),
        DECODER,
        BATCHER);
    return topology;
  }
}
