package dev.strata.app.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.stream.InMemoryStores;
import dev.strata.schemas.avro.FeedbackRecord;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * What a task does with a feedback store restored from its changelog (restart or rebalance): the
 * eviction order and the sequence numbers continue from the restored entries.
 */
class FeedbackStoreRestoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static FeedbackRecord record(String head, String id) {
    return FeedbackRecord.newBuilder()
        .setId(id)
        .setHead(head)
        .setText(id + " runs")
        .setTokens(List.of(id, "runs"))
        .setTags(List.of("B-PER", "O"))
        .setSource("t")
        .setEventTime(T0)
        .build();
  }

  @Test
  void restoredExamplesKeepTheirEvictionOrderAndNewOnesGetLaterSequenceNumbers() {
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    KeyValueStore<String, StoredFeedback> store =
        InMemoryStores.in(context, FeedbackTopology.STORE, Serdes.String(), StoredFeedback.serde());
    // As restored: 'b' was written after 'a' (higher sequence number) although put first here.
    store.put(FeedbackKeys.key("h", "b"), new StoredFeedback(8, record("h", "b")));
    store.put(FeedbackKeys.key("h", "a"), new StoredFeedback(7, record("h", "a")));

    FeedbackStore processor = new FeedbackStore(FeedbackTopology.STORE, 2, FeedbackMetrics.NONE);
    processor.init(context);
    processor.process(new Record<>("h", record("h", "c"), 0L));

    assertThat(store.get(FeedbackKeys.key("h", "a"))).as("oldest, evicted").isNull();
    assertThat(store.get(FeedbackKeys.key("h", "b"))).isNotNull();
    assertThat(store.get(FeedbackKeys.key("h", "c")).seq()).isEqualTo(9);
  }

  @Test
  void theStoreSerdeRoundTrips() {
    StoredFeedback f = new StoredFeedback(42, record("h", "x"));
    byte[] bytes = StoredFeedback.serde().serializer().serialize("t", f);
    assertThat(StoredFeedback.serde().deserializer().deserialize("t", bytes)).isEqualTo(f);
  }
}
