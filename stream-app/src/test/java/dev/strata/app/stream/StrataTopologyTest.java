package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.app.stream.metrics.MicrometerStreamMetrics;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.TextRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology on {@link TopologyTestDriver} with a fake annotator and an in-memory registry. */
class StrataTopologyTest {
  /** Real time a flush of the fake model may add to the mocked wall clock's latency. */
  private static final float SLACK_MS = 2_000f;

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String IN = "texts";
  private static final String OUT = "annotated";
  private static final String DLQ = "dead";

  @TempDir Path stateDir;

  private InMemoryRegistry registry;
  private StrataSerdes serdes;
  private FakeAnnotator annotator;
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> input;
  private TestOutputTopic<byte[], AnnotatedRecord> output;
  private TestOutputTopic<byte[], byte[]> deadLetters;

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

  private void start(Map<String, Object> overrides) {
    start(overrides, new FakeAnnotator());
  }

  private void start(Map<String, Object> overrides, FakeAnnotator fake) {
    Map<String, Object> props = new HashMap<>();
    props.put(StrataConfig.BOOTSTRAP_SERVERS, "unused:9092");
    props.put(StrataConfig.SCHEMA_REGISTRY_URL, registry.url());
    props.put(StrataConfig.MODEL_PATH, "unused.model");
    props.put(StrataConfig.TOPIC_INPUT, IN);
    props.put(StrataConfig.TOPIC_OUTPUT, OUT);
    props.put(StrataConfig.TOPIC_DEAD_LETTER, DLQ);
    props.put(StrataConfig.BATCH_MAX_WAIT_MS, "60000");
    props.putAll(overrides);
    StrataConfig config = new StrataConfig(props);
    annotator = fake;
    Properties streams = config.streamsProperties();
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "strata-test-" + UUID.randomUUID());
    streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            StrataTopology.build(config, annotator, serdes, new MicrometerStreamMetrics(meters)),
            streams,
            T0);
    input = driver.createInputTopic(IN, new ByteArraySerializer(), new ByteArraySerializer());
    output =
        driver.createOutputTopic(
            OUT, new ByteArrayDeserializer(), serdes.annotated().deserializer());
    deadLetters =
        driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private byte[] encode(String id, String text) {
    TextRecord r =
        TextRecord.newBuilder().setId(id).setText(text).setEventTime(T0.minusSeconds(5)).build();
    return serdes.text().serializer().serialize(IN, r);
  }

  private static byte[] key(String k) {
    return k.getBytes(StandardCharsets.UTF_8);
  }

  private void send(String id, String text) {
    input.pipeInput(key(id), encode(id, text), T0);
  }

  private static String header(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private List<String> outputIds() {
    return output.readValuesToList().stream().map(AnnotatedRecord::getInputId).toList();
  }

  @Test
  void flushesWhenTheBatchHasMaxRecords() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "3"));
    send("a", "Alice runs");
    send("b", "Bob walks");
    assertThat(output.isEmpty()).isTrue();
    assertThat(annotator.batches).isEmpty();

    send("c", "Carol swims");

    List<AnnotatedRecord> out = output.readValuesToList();
    assertThat(out).extracting(AnnotatedRecord::getInputId).containsExactly("a", "b", "c");
    assertThat(out).allSatisfy(r -> assertThat(r.getTimings().getBatchSize()).isEqualTo(3));
    assertThat(annotator.batches)
        .containsExactly(List.of("Alice runs", "Bob walks", "Carol swims"));
  }

  @Test
  void flushesBeforeATextWouldOverflowTheTokenBudget() {
    start(Map.of(StrataConfig.BATCH_MAX_TOKENS, "5"));
    send("a", "one two"); // 2 tokens
    send("b", "three four"); // 4 tokens
    assertThat(output.isEmpty()).isTrue();

    send("c", "five six"); // would make 6 > 5: a and b go first, c opens the next batch

    assertThat(annotator.batches).containsExactly(List.of("one two", "three four"));
    List<AnnotatedRecord> out = output.readValuesToList();
    assertThat(out).extracting(AnnotatedRecord::getInputId).containsExactly("a", "b");
    assertThat(out).allSatisfy(r -> assertThat(r.getTimings().getBatchSize()).isEqualTo(2));

    send("d", "seven eight nine"); // 2 + 3 = 5 reaches the budget exactly: flush now

    assertThat(outputIds()).containsExactly("c", "d");
  }

  @Test
  void aTextOverTheTokenBudgetIsInferredAlone() {
    start(Map.of(StrataConfig.BATCH_MAX_TOKENS, "3"));
    send("a", "one");
    send("b", "w w w w w w");

    assertThat(annotator.batches).containsExactly(List.of("one"), List.of("w w w w w w"));
    assertThat(outputIds()).containsExactly("a", "b");
  }

  @Test
  void flushesOnTheWallClockDeadline() {
    start(Map.of(StrataConfig.BATCH_MAX_WAIT_MS, "50"));
    send("a", "Alice");
    driver.advanceWallClockTime(Duration.ofMillis(30));
    send("b", "Bob");
    driver.advanceWallClockTime(Duration.ofMillis(15)); // 45 ms after a: not yet
    assertThat(output.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofMillis(15)); // 60 ms: past the deadline

    List<AnnotatedRecord> out = output.readValuesToList();
    assertThat(out).extracting(AnnotatedRecord::getInputId).containsExactly("a", "b");
    // end-to-end latency is measured from the input timestamp (T0) to emission on the wall clock
    // (plus the real time the batch took since the flush began: a few ms with the fake model)
    assertThat(out.get(0).getTimings().getEndToEndMs()).isBetween(60f, 60f + SLACK_MS);

    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(output.isEmpty()).isTrue();
    assertThat(annotator.batches).hasSize(1);
  }

  @Test
  void theOpenBatchIsHeldInTheStoreUntilItsOutputsAreForwarded() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "3"));
    send("a", "Alice");
    send("b", "Bob");

    KeyValueStore<Long, PendingText> store = driver.getKeyValueStore(StrataTopology.BATCH_STORE);
    try (KeyValueIterator<Long, PendingText> it = store.all()) {
      List<KeyValue<Long, PendingText>> entries = new java.util.ArrayList<>();
      it.forEachRemaining(entries::add);
      assertThat(entries).extracting(kv -> kv.value.id()).containsExactly("a", "b");
      assertThat(entries.get(1).value.source().offset()).isEqualTo(1);
    }

    send("c", "Carol");

    assertThat(store.approximateNumEntries()).isZero();
    assertThat(outputIds()).containsExactly("a", "b", "c");
  }

  @Test
  void batchStoreTypeChoosesWhereTheOpenBatchWaits() {
    start(
        Map.of(
            StrataConfig.BATCH_MAX_RECORDS,
            "3",
            StrataConfig.BATCH_STORE_TYPE,
            BatchStoreType.IN_MEMORY.name()));
    send("a", "Alice");
    send("b", "Bob");

    KeyValueStore<Long, PendingText> store = driver.getKeyValueStore(StrataTopology.BATCH_STORE);
    assertThat(store.persistent()).isFalse();
    assertThat(store.approximateNumEntries()).isEqualTo(2);

    send("c", "Carol");

    assertThat(store.approximateNumEntries()).isZero();
    assertThat(outputIds()).containsExactly("a", "b", "c");
  }

  @Test
  void theDefaultBatchStoreIsRocksDb() {
    start(Map.of());
    assertThat(driver.getKeyValueStore(StrataTopology.BATCH_STORE).persistent()).isTrue();
  }

  @Test
  void keepsInputOrderWithinAPartitionAcrossBatchesAndDeadLetters() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "4", StrataConfig.BATCH_MAX_WAIT_MS, "50"));
    for (int i = 0; i < 10; i++) {
      send("id" + i, i == 3 || i == 7 ? " " : "Text number " + i);
    }
    driver.advanceWallClockTime(Duration.ofMillis(100));

    assertThat(outputIds()).containsExactly("id0", "id1", "id2", "id4", "id5", "id6", "id8", "id9");
    assertThat(deadLetters.readKeyValuesToList())
        .extracting(kv -> new String(kv.key, StandardCharsets.UTF_8))
        .containsExactly("id3", "id7");
    assertThat(annotator.batches).extracting(List::size).containsExactly(4, 4);
  }

  @Test
  void outputCarriesEntitiesModelAndTimings() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "1"));
    send("a", "Alice met Bob");

    TestRecord<byte[], AnnotatedRecord> r = output.readRecord();
    assertThat(r.key()).isEqualTo(key("a"));
    assertThat(r.timestamp()).isEqualTo(T0.toEpochMilli());
    assertThat(header(r.headers(), MicroBatcher.MODEL_VERSION_HEADER))
        .isEqualTo(FakeAnnotator.VERSION);
    AnnotatedRecord v = r.value();
    assertThat(v.getText()).isEqualTo("Alice met Bob");
    assertThat(v.getEventTime()).isEqualTo(T0.minusSeconds(5));
    assertThat(v.getEntities())
        .extracting(EntitySpan::getStart, EntitySpan::getEnd, EntitySpan::getText)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 5, "Alice"),
            org.assertj.core.groups.Tuple.tuple(10, 13, "Bob"));
    assertThat(v.getEntities())
        .allSatisfy(
            e -> {
              assertThat(e.getLabel()).isEqualTo("ENT");
              assertThat(e.getHead()).isEqualTo("caps");
              assertThat(e.getLayerWeights()).containsExactly(0.5f);
            });
    assertThat(v.getModel().getBackbone()).isEqualTo("fake-backbone");
    assertThat(v.getModel().getHeads()).containsEntry("caps", "1");
    assertThat(v.getClassification().getLabel()).isEqualTo("caps");
    assertThat(v.getClassification().getHead()).isEqualTo("caps-class");
    assertThat(v.getTimings().getBatchSize()).isEqualTo(1);
    assertThat(v.getTimings().getInferenceMs()).isGreaterThanOrEqualTo(0f);
  }

  // --- dead letters -----------------------------------------------------------------------------

  private TestRecord<byte[], byte[]> onlyDeadLetter() {
    List<TestRecord<byte[], byte[]>> all = deadLetters.readRecordsToList();
    assertThat(all).hasSize(1);
    assertThat(output.isEmpty()).isTrue();
    return all.get(0);
  }

  private static void assertDeadLetter(
      TestRecord<byte[], byte[]> r,
      String key,
      byte[] value,
      DeadLetterReason reason,
      long offset,
      String exceptionContains) {
    assertThat(r.key()).isEqualTo(key(key));
    assertThat(r.value()).isEqualTo(value);
    assertThat(header(r.headers(), DeadLetters.REASON)).isEqualTo(reason.name());
    assertThat(header(r.headers(), DeadLetters.TOPIC)).isEqualTo(IN);
    assertThat(header(r.headers(), DeadLetters.PARTITION)).isEqualTo("0");
    assertThat(header(r.headers(), DeadLetters.OFFSET)).isEqualTo(Long.toString(offset));
    assertThat(header(r.headers(), DeadLetters.EXCEPTION)).contains(exceptionContains);
    assertThat(header(r.headers(), DeadLetters.MODEL_VERSION)).isEqualTo(FakeAnnotator.VERSION);
  }

  @Test
  void deadLettersBytesWithoutTheMagicByte() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "1"));
    byte[] bad = "plain text, not Avro".getBytes(StandardCharsets.UTF_8);
    input.pipeInput(key("k"), bad, T0);

    assertDeadLetter(onlyDeadLetter(), "k", bad, DeadLetterReason.NOT_WIRE_FORMAT, 0, "0x70");
  }

  @Test
  void deadLettersRecordsShorterThanTheWireHeader() {
    start(Map.of());
    byte[] bad = {0, 0, 1};
    input.pipeInput(key("k"), bad, T0);

    assertDeadLetter(onlyDeadLetter(), "k", bad, DeadLetterReason.NOT_WIRE_FORMAT, 0, "3 bytes");
  }

  @Test
  void deadLettersAnUnknownSchemaId() {
    start(Map.of());
    send("ok", "Fine"); // offset 0, registers the schema
    byte[] bad =
        ByteBuffer.allocate(8).put((byte) 0).putInt(4242).put(new byte[] {2, 4, 6}).array();
    input.pipeInput(key("k"), bad, T0);

    assertDeadLetter(
        onlyDeadLetter(), "k", bad, DeadLetterReason.UNKNOWN_SCHEMA_ID, 1, "schema id 4242");
  }

  @Test
  void deadLettersCorruptAvroData() {
    start(Map.of());
    byte[] good = encode("x", "Fine");
    byte[] bad = java.util.Arrays.copyOf(good, 7); // right id, data cut short
    input.pipeInput(key("k"), bad, T0);

    assertDeadLetter(onlyDeadLetter(), "k", bad, DeadLetterReason.UNDECODABLE, 0, "corrupt");
  }

  @Test
  void deadLettersANullValue() {
    start(Map.of());
    input.pipeInput(key("k"), null, T0);

    assertDeadLetter(onlyDeadLetter(), "k", null, DeadLetterReason.NULL_VALUE, 0, "null");
  }

  @Test
  void deadLettersAnEmptyText() {
    start(Map.of());
    byte[] value = encode("e", "");
    input.pipeInput(key("e"), value, T0);

    assertDeadLetter(onlyDeadLetter(), "e", value, DeadLetterReason.EMPTY_TEXT, 0, "'e'");
  }

  @Test
  void deadLettersATextOverTextMaxChars() {
    start(Map.of(StrataConfig.TEXT_MAX_CHARS, "10"));
    byte[] value = encode("long", "Eleven char");
    input.pipeInput(key("long"), value, T0);

    assertDeadLetter(
        onlyDeadLetter(), "long", value, DeadLetterReason.TEXT_TOO_LONG, 0, "text.max.chars");
  }

  @Test
  void aBatchTheModelFailsOnIsRetriedTextByTextAndOnlyFailuresAreDeadLettered() {
    Predicate<String> boom = t -> t.contains("boom");
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "3"), new FakeAnnotator(boom));
    send("a", "Alice");
    byte[] poison = encode("b", "boom Bob");
    input.pipeInput(key("b"), poison, T0);
    send("c", "Carol");

    assertDeadLetter(
        deadLetters.readRecord(),
        "b",
        poison,
        DeadLetterReason.INFERENCE_FAILED,
        1,
        "fake model failure");
    assertThat(deadLetters.isEmpty()).isTrue();
    List<AnnotatedRecord> out = output.readValuesToList();
    assertThat(out).extracting(AnnotatedRecord::getInputId).containsExactly("a", "c");
    assertThat(out).allSatisfy(r -> assertThat(r.getTimings().getBatchSize()).isEqualTo(1));
    assertThat(annotator.batches).hasSize(4); // the batch, then each text alone
  }

  @Test
  void theFailPolicyStopsTheStreamAndSaysWhatToChange() {
    start(
        Map.of(StrataConfig.BATCH_MAX_RECORDS, "1", StrataConfig.INFERENCE_FAILURE_POLICY, "FAIL"),
        new FakeAnnotator(t -> true));

    assertThatThrownBy(() -> send("a", "Alice"))
        .isInstanceOf(StreamsException.class)
        .hasStackTraceContaining("inference.failure.policy=DEAD_LETTER")
        .hasStackTraceContaining(FakeAnnotator.VERSION);
    assertThat(output.isEmpty()).isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void countsRecordsInOutAndDeadLetteredAndBatchSizes() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "2"));
    send("a", "Alice");
    send("b", "Bob");
    send("c", "");
    input.pipeInput(key("d"), new byte[] {1, 2, 3}, T0);
    send("e", "Eve");
    send("f", "Frank");

    assertThat(meters.counter("strata.records.in").count()).isEqualTo(6);
    assertThat(meters.counter("strata.records.out").count()).isEqualTo(4);
    assertThat(meters.counter("strata.records.dead.lettered", "reason", "EMPTY_TEXT").count())
        .isEqualTo(1);
    assertThat(meters.counter("strata.records.dead.lettered", "reason", "NOT_WIRE_FORMAT").count())
        .isEqualTo(1);
    assertThat(meters.summary("strata.batch.size").count()).isEqualTo(2);
    assertThat(meters.summary("strata.batch.size").totalAmount()).isEqualTo(4);
    assertThat(meters.summary("strata.batch.tokens").totalAmount()).isEqualTo(4);
    assertThat(meters.summary("strata.end.to.end").count()).isEqualTo(4);
  }

  @Test
  void endToEndLatencyIncludesTheInferenceTime() {
    FakeAnnotator slow =
        new FakeAnnotator(
            text -> {
              try {
                Thread.sleep(150);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return false;
            });
    start(Map.of(StrataConfig.BATCH_MAX_WAIT_MS, "50"), slow);
    send("a", "Alice");
    driver.advanceWallClockTime(Duration.ofMillis(60));
    List<AnnotatedRecord> out = output.readValuesToList();
    // 60 ms waiting on the (mocked) wall clock, then at least 150 ms of real inference
    assertThat(out.get(0).getTimings().getEndToEndMs()).isGreaterThanOrEqualTo(210f);
    assertThat(out.get(0).getTimings().getEndToEndMs())
        .isGreaterThanOrEqualTo(out.get(0).getTimings().getInferenceMs());
  }

  @Test
  void endToEndLatencyIsRecordedPerOutputAsInTheTimings() {
    start(Map.of(StrataConfig.BATCH_MAX_WAIT_MS, "50"));
    input.pipeInput(key("a"), encode("a", "Alice"), T0.minusMillis(200));
    send("b", "Bob");
    driver.advanceWallClockTime(Duration.ofMillis(60));

    List<AnnotatedRecord> out = output.readValuesToList();
    assertThat(out.get(0).getTimings().getEndToEndMs()).isBetween(260f, 260f + SLACK_MS);
    assertThat(out.get(1).getTimings().getEndToEndMs()).isBetween(60f, 60f + SLACK_MS);
    assertThat(meters.summary("strata.end.to.end").count()).isEqualTo(2);
    assertThat(meters.summary("strata.end.to.end").totalAmount())
        .isEqualTo(
            (double)
                (out.get(0).getTimings().getEndToEndMs()
                    + out.get(1).getTimings().getEndToEndMs()));
    assertThat(meters.summary("strata.end.to.end").max())
        .isEqualTo((double) out.get(0).getTimings().getEndToEndMs());
  }
}
