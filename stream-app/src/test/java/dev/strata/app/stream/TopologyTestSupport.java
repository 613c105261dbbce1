package dev.strata.app.stream;

import dev.strata.app.stream.metrics.MicrometerStreamMetrics;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.TextRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on {@link TopologyTestDriver} with a fake annotator and an in-memory registry: the
 * fixture the topology tests share. {@link #start} builds the annotation path from {@link
 * StrataConfig} settings and opens the input, output and dead-letter topics; a test of another path
 * builds its own topology into {@link #driver} and the topics it reads.
 */
abstract class TopologyTestSupport {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String IN = "texts";
  static final String OUT = "annotated";
  static final String DLQ = "dead";

  @TempDir Path stateDir;

  InMemoryRegistry registry;
  StrataSerdes serdes;
  FakeAnnotator annotator;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  TopologyTestDriver driver;
  TestInputTopic<byte[], byte[]> input;
  TestOutputTopic<byte[], AnnotatedRecord> output;
  TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void startRegistry() throws IOException {
    registry = new InMemoryRegistry();
    serdes = StrataSerdes.confluent(registry.client());
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    registry.close();
  }

  /** Settings every test topology needs: the registry, the dead-letter topic, dummy rest. */
  Map<String, Object> baseSettings() {
    Map<String, Object> props = new HashMap<>();
    props.put(StrataConfig.BOOTSTRAP_SERVERS, "unused:9092");
    props.put(StrataConfig.SCHEMA_REGISTRY_URL, registry.url());
    props.put(StrataConfig.MODEL_PATH, "unused.model");
    props.put(StrataConfig.TOPIC_DEAD_LETTER, DLQ);
    return props;
  }

  /** The driver's Kafka Streams properties: a fresh application id, state under the temp dir. */
  Properties driverProperties(StrataConfig config) {
    Properties streams = config.streamsProperties();
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "strata-test-" + UUID.randomUUID());
    streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return streams;
  }

  void start(Map<String, Object> overrides) {
    start(overrides, new FakeAnnotator());
  }

  void start(Map<String, Object> overrides, FakeAnnotator fake) {
    Map<String, Object> props = baseSettings();
    props.put(StrataConfig.TOPIC_INPUT, IN);
    props.put(StrataConfig.TOPIC_OUTPUT, OUT);
    props.put(StrataConfig.BATCH_MAX_WAIT_MS, "60000");
    props.putAll(overrides);
    StrataConfig config = new StrataConfig(props);
    annotator = fake;
    driver =
        new TopologyTestDriver(
            StrataTopology.build(config, annotator, serdes, new MicrometerStreamMetrics(meters)),
            driverProperties(config),
            T0);
    input = driver.createInputTopic(IN, new ByteArraySerializer(), new ByteArraySerializer());
    output =
        driver.createOutputTopic(
            OUT, new ByteArrayDeserializer(), serdes.annotated().deserializer());
    deadLetters =
        driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  byte[] encode(String id, String text) {
    TextRecord r =
        TextRecord.newBuilder().setId(id).setText(text).setEventTime(T0.minusSeconds(5)).build();
    return serdes.text().serializer().serialize(IN, r);
  }

  static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  void send(String id, String text) {
    input.pipeInput(key(id), encode(id, text), T0);
  }

  static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  List<String> outputIds() {
    return output.readValuesToList().stream().map(AnnotatedRecord::getInputId).toList();
  }
}
