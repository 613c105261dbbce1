package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.AnnotatedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * What a task does with texts a crash or rebalance left in the open-batch store: they come back in
 * order, are flushed at the first punctuation, and new texts queue behind them; and a flush that
 * fails leaves them there, with nothing of the batch sent.
 */
class MicroBatcherRestoreTest {

  private static PendingText pending(long offset, String text, long arrivalMs) {
    return new PendingText(
        new SourcePosition("texts", 3, offset),
        ("k" + offset).getBytes(StandardCharsets.UTF_8),
        new byte[] {0, 0, 0, 0, 1, (byte) offset},
        List.of(new RecordHeader("trace", new byte[] {7})),
        1_000L + offset,
        arrivalMs,
        "id" + offset,
        text,
        500L,
        1);
  }

  @Test
  void theStoreSerdeRoundTripsEveryField() {
    PendingText p = pending(9, "Alice ünïcode", 123);
    byte[] bytes = PendingText.serde().serializer().serialize("t", p);
    PendingText back = PendingText.serde().deserializer().deserialize("t", bytes);
    assertThat(back.source()).isEqualTo(p.source());
    assertThat(back.key()).isEqualTo(p.key());
    assertThat(back.value()).isEqualTo(p.value());
    assertThat(back.headers()).hasSize(1);
    assertThat(back.headers().get(0).key()).isEqualTo("trace");
    assertThat(back.headers().get(0).value()).containsExactly(7);
    assertThat(back)
        .extracting(
            PendingText::timestamp,
            PendingText::arrivalMs,
            PendingText::id,
            PendingText::text,
            PendingText::eventTimeMs,
            PendingText::tokens)
        .containsExactly(1_009L, 123L, "id9", "Alice ünïcode", 500L, 1);
  }

  @Test
  void textsLeftInTheStoreAreFlushedFirstAndInOrder() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    KeyValueStore<Long, PendingText> store =
        InMemoryStores.in(context, StrataTopology.BATCH_STORE, Serdes.Long(), PendingText.serde());
    // As restored from the changelog after a crash: keys out of insertion order on purpose.
    store.put(11L, pending(41, "Bob", 0));
    store.put(10L, pending(40, "Alice", 0));

    FakeAnnotator annotator = new FakeAnnotator();
    MicroBatcher batcher = batcher(annotator, MicroBatcherRestoreTest::idAsBytes);
    context.setCurrentSystemTimeMs(10_000);
    batcher.init(context);
    PendingText next = pending(42, "Carol", 10_000);
    batcher.process(new org.apache.kafka.streams.processor.api.Record<>(next.key(), next, 1L));
    assertThat(context.forwarded()).isEmpty();

    context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_000);

    List<CapturedForward<? extends byte[], ?>> out = context.forwarded("out");
    assertThat(out)
        .extracting(f -> new String((byte[]) f.record().value(), StandardCharsets.UTF_8))
        .containsExactly("id40", "id41", "id42");
    assertThat(annotator.batches).containsExactly(List.of("Alice", "Bob", "Carol"));
    assertThat(store.approximateNumEntries()).isZero();
    // New sequence numbers continue after the restored ones, so order survives the next crash too.
    PendingText later = pending(43, "Dan", 10_001);
    batcher.process(new org.apache.kafka.streams.processor.api.Record<>(later.key(), later, 1L));
    assertThat(store.get(13L).id()).isEqualTo("id43"); // Carol was 12
  }

  @Test
  void anOutputThatCannotBeSerializedLeavesTheWholeBatchUnsentInTheStore() {
    MockProcessorContext<byte[], Object> context = new MockProcessorContext<>();
    KeyValueStore<Long, PendingText> store =
        InMemoryStores.in(context, StrataTopology.BATCH_STORE, Serdes.Long(), PendingText.serde());
    store.put(10L, pending(40, "Alice", 0));
    store.put(11L, pending(41, "Bob", 0));
    MicroBatcher batcher =
        batcher(
            new FakeAnnotator(),
            (topic, annotated) -> {
              if (annotated.getInputId().equals("id41")) {
                throw new SerializationException("cannot encode Bob");
              }
              return idAsBytes(topic, annotated);
            });
    context.setCurrentSystemTimeMs(10_000);
    batcher.init(context);

    assertThatThrownBy(
            () -> context.scheduledPunctuators().get(0).getPunctuator().punctuate(10_000))
        .isInstanceOf(StreamsException.class)
        .hasMessageContaining("cannot encode Bob")
        .hasMessageContaining("a bug in Strata");
    assertThat(context.forwarded()).isEmpty(); // not even Alice's, serialized first
    assertThat(store.approximateNumEntries()).isEqualTo(2);
  }

  /** The output's input id as its bytes: these tests are about order and the store, not Avro. */
  private static byte[] idAsBytes(String topic, AnnotatedRecord annotated) {
    return annotated.getInputId().getBytes(StandardCharsets.UTF_8);
  }

  private static MicroBatcher batcher(
      FakeAnnotator annotator, Serializer<AnnotatedRecord> serializer) {
    return new MicroBatcher(
        StrataTopology.BATCH_STORE,
        annotator,
        StreamMetrics.NONE,
        10,
        1000,
        Duration.ofMillis(50),
        FailurePolicy.DEAD_LETTER,
        "out",
        "dlq",
        new OutputEncoder(serializer, "out", new RecordSizeLimit(1024 * 1024)));
  }
}
