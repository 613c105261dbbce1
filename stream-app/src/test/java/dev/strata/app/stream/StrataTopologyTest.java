package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The topology's micro-batching (flush on size, token budget and wall-clock deadline; the open
 * batch in its store; input order), its output records and its metrics. Dead letters: {@link
 * DeadLetterTopologyTest}.
 */
class StrataTopologyTest extends TopologyTestSupport {
  /** Real time a flush of the fake model may add to the mocked wall clock's latency. */
  private static final float SLACK_MS = 2_000f;

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
    assertThat(
            meters
                .counter("strata.records.dead.lettered", "reason", "EMPTY_TEXT", "source", "input")
                .count())
        .isEqualTo(1);
    assertThat(
            meters
                .counter(
                    "strata.records.dead.lettered", "reason", "NOT_WIRE_FORMAT", "source", "input")
                .count())
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

  @Test
  void aRegistryOutageWhileWritingAnOutputIsTransientAndKeepsTheBatch() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "2"));
    byte[] alice = encode("a", "Alice"); // registers TextRecord; AnnotatedRecord is not yet
    byte[] bob = encode("b", "Bob");
    input.pipeInput(key("a"), alice, T0);
    registry.close();

    assertThatThrownBy(() -> input.pipeInput(key("b"), bob, T0))
        .hasStackTraceContaining(TransientStreamsException.class.getName())
        .hasStackTraceContaining("while writing the output of " + IN + "-0@0")
        .hasStackTraceContaining("Could not reach the schema registry");
    assertThat(output.isEmpty()).isTrue();
    assertThat(deadLetters.isEmpty()).isTrue();
    KeyValueStore<Long, PendingText> store = driver.getKeyValueStore(StrataTopology.BATCH_STORE);
    try (KeyValueIterator<Long, PendingText> it = store.all()) {
      assertThat(it).toIterable().extracting(kv -> kv.value.id()).containsExactly("a", "b");
    }
  }
}
