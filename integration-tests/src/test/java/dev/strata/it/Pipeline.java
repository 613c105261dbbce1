package dev.strata.it;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One stream application under test on the real broker and registry: its own input, output,
 * dead-letter and feedback topics, heads topic name (the application creates it) and application id
 * (unique per test), the settings {@link StrataApp} reads, and the Avro serdes a producer and a
 * reader of those topics use.
 */
final class Pipeline implements AutoCloseable {
  final RealInfra infra;
  final Kafka kafka;
  final String applicationId;
  final String input;
  final String output;
  final String deadLetters;
  final String feedback;
  final String heads;
  private final Map<String, Object> settings = new HashMap<>();
  private final ConfluentAvroSerde<TextRecord> textSerde =
      new ConfluentAvroSerde<>(TextRecord.class);
  private final ConfluentAvroSerde<AnnotatedRecord> annotatedSerde =
      new ConfluentAvroSerde<>(AnnotatedRecord.class);

  /** Creates the four topics with {@code partitions} partitions each. */
  Pipeline(String name, int partitions, Path stateDir) throws Exception {
    infra = RealInfra.get();
    kafka = new Kafka(infra);
    applicationId = Kafka.unique("strata-it-" + name);
    input = applicationId + ".text";
    output = applicationId + ".annotated";
    deadLetters = applicationId + ".dead-letter";
    feedback = applicationId + ".feedback";
    heads = applicationId + ".heads";
    kafka.createTopics(partitions, input, output, deadLetters, feedback);
    settings.put(StrataConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
    settings.put(StrataConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
    settings.put(StrataConfig.APPLICATION_ID, applicationId);
    settings.put(StrataConfig.TOPIC_INPUT, input);
    settings.put(StrataConfig.TOPIC_OUTPUT, output);
    settings.put(StrataConfig.TOPIC_DEAD_LETTER, deadLetters);
    settings.put(StrataConfig.TOPIC_FEEDBACK, feedback);
    settings.put(StrataConfig.TOPIC_HEADS, heads);
    settings.put(StrataConfig.MODEL_PATH, "given-in-process");
    settings.put(StrataConfig.STREAMS_PREFIX + "state.dir", stateDir.toString());
    settings.put(StrataConfig.STREAMS_PREFIX + "commit.interval.ms", "100");
    Map<String, Object> serde = Map.of(StrataConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
    textSerde.configure(serde, false);
    annotatedSerde.configure(serde, false);
  }

  /** Overrides one {@link StrataConfig} setting for the next {@link #start}. */
  Pipeline set(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  /** Writes the settings as the properties file {@code strata run --config} reads. */
  Path writeProperties(Path file) throws java.io.IOException {
    java.util.Properties props = new java.util.Properties();
    settings.forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try (java.io.Writer w = java.nio.file.Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(w, "strata-it " + applicationId);
    }
    return file;
  }

  StrataConfig config() {
    return new StrataConfig(settings);
  }

  /** Starts an application instance and waits until it is RUNNING. */
  StrataApp start(Annotator annotator) throws InterruptedException {
    return awaitRunning(StrataApp.start(config(), annotator));
  }

  /** Starts an instance with the feedback loop ({@code topic.feedback}) and waits until RUNNING. */
  StrataApp start(Annotator annotator, StrataApp.FeedbackParts feedbackParts)
      throws InterruptedException {
    return awaitRunning(StrataApp.start(config(), annotator, feedbackParts));
  }

  private StrataApp awaitRunning(StrataApp app) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.streams().state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline
          || !app.streams().state().isRunningOrRebalancing()
              && app.streams().state() != KafkaStreams.State.CREATED) {
        KafkaStreams.State s = app.streams().state();
        app.close();
        throw new IllegalStateException(applicationId + " did not reach RUNNING (state " + s + ")");
      }
      Thread.sleep(50);
    }
    return app;
  }

  static TextRecord text(String id, String text) {
    return TextRecord.newBuilder()
        .setId(id)
        .setText(text)
        .setLanguage("en")
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
        .setMetadata(Map.of("source", "strata-it"))
        .build();
  }

  /** Sends each text of {@code texts} (id to text) to the input topic, keyed by its id; flushes. */
  void send(KafkaProducer<byte[], byte[]> producer, Map<String, String> texts) {
    texts.forEach(
        (id, text) -> producer.send(new ProducerRecord<>(input, key(id), encode(text(id, text)))));
    producer.flush();
  }

  /** Confluent wire-format bytes of {@code record} as the producer side writes them. */
  byte[] encode(TextRecord record) {
    return textSerde.serializer().serialize(input, record);
  }

  AnnotatedRecord decode(byte[] value) {
    return annotatedSerde
        .deserializer()
        .deserialize(output, Objects.requireNonNull(value, "value"));
  }

  static byte[] key(String id) {
    return id.getBytes(StandardCharsets.UTF_8);
  }

  /** The last value of header {@code name} of {@code r} as UTF-8, or null when it has none. */
  static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    textSerde.close();
    annotatedSerde.close();
  }
}
