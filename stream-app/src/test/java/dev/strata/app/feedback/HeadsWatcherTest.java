package dev.strata.app.feedback;

import static dev.strata.app.feedback.HeadsTopicFixture.TOPIC;
import static dev.strata.app.feedback.HeadsTopicFixture.head;
import static dev.strata.app.feedback.HeadsTopicFixture.publish;
import static dev.strata.app.feedback.HeadsTopicFixture.unreachableRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.app.stream.InMemoryRegistry;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.schemas.avro.HeadRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The heads topic end to end on mock clients: envelope round trip through the Confluent serde,
 * publisher keys, watcher catalog and swaps, corrupt records rejected, a registry outage retried.
 */
class HeadsWatcherTest {

  private InMemoryRegistry registry;
  private StrataSerdes serdes;
  private final FakeSnapshot initial = new FakeSnapshot("bb", Map.of());
  private final SwappableAnnotator annotator = new SwappableAnnotator(initial);
  private final HeadCatalog catalog = new HeadCatalog();
  private final List<String> outcomes = new ArrayList<>();
  private final FeedbackMetrics recording =
      new FeedbackMetrics() {
        @Override
        public void headRecord(String head, SwapOutcome outcome) {
          outcomes.add(head + " " + outcome);
        }
      };
  private MockConsumer<byte[], byte[]> consumer;
  private HeadsWatcher watcher;
  private long offset;

  @BeforeEach
  void setUp() throws IOException {
    registry = new InMemoryRegistry();
    serdes = StrataSerdes.confluent(registry.client());
    consumer = new MockConsumer<>("earliest");
    consumer.updatePartitions(
        TOPIC,
        List.of(
            new PartitionInfo(TOPIC, 0, null, null, null),
            new PartitionInfo(TOPIC, 1, null, null, null)));
    consumer.updateBeginningOffsets(
        Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1), 0L));
    consumer.updateEndOffsets(
        Map.of(new TopicPartition(TOPIC, 0), 0L, new TopicPartition(TOPIC, 1), 0L));
    watcher =
        new HeadsWatcher(
            consumer,
            TOPIC,
            serdes.heads().deserializer(),
            new HeadSwapper(annotator),
            catalog,
            recording);
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  private void deliver(List<ProducerRecord<byte[], byte[]>> sent) {
    for (ProducerRecord<byte[], byte[]> r : sent) {
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset++, r.key(), r.value()));
    }
  }

  /** A watcher on {@link #consumer} whose registry does not answer the {@code n}-th decode only. */
  private HeadsWatcher watcherWithRegistryAwayAtDecode(int n) throws IOException {
    Deserializer<HeadRecord> good = serdes.heads().deserializer();
    Deserializer<HeadRecord> unreachable = unreachableRegistry();
    AtomicInteger calls = new AtomicInteger();
    Deserializer<HeadRecord> blip =
        (topic, data) ->
            (calls.incrementAndGet() == n ? unreachable : good).deserialize(topic, data);
    return new HeadsWatcher(consumer, TOPIC, blip, new HeadSwapper(annotator), catalog, recording);
  }

  private void firstPoll() {
    assertThat(watcher.assign()).isTrue();
    consumer.seekToBeginning(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
  }

  @Test
  void aTopicTheBrokerDoesNotListYetIsWaitedForNotAFailure() {
    MockConsumer<byte[], byte[]> fresh = new MockConsumer<>("earliest");
    HeadsWatcher w =
        new HeadsWatcher(
            fresh,
            TOPIC,
            serdes.heads().deserializer(),
            new HeadSwapper(annotator),
            catalog,
            FeedbackMetrics.NONE);
    w.pollOnce();
    assertThat(fresh.assignment()).isEmpty();
    fresh.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    fresh.updateBeginningOffsets(Map.of(new TopicPartition(TOPIC, 0), 0L));
    fresh.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 0L));
    w.pollOnce();
    assertThat(fresh.assignment()).containsExactly(new TopicPartition(TOPIC, 0));
  }

  @Test
  void caughtUpOnlyAfterReadingWhatWasOnTheTopicAtStart() {
    consumer.updateEndOffsets(Map.of(new TopicPartition(TOPIC, 0), 2L));
    firstPoll();
    assertThat(watcher.caughtUp()).isFalse();
    watcher.pollOnce();
    assertThat(watcher.caughtUp()).as("nothing read yet").isFalse();
    deliver(publish(serdes, head("custom", 1, new byte[] {1})));
    watcher.pollOnce();
    assertThat(watcher.caughtUp()).isTrue();
    assertThat(catalog.latestVersion("custom")).isEqualTo(1L);
  }

  @Test
  void theEnvelopeRoundTripsThroughTheRegistrySerde() {
    HeadRecord r = head("custom", 3, new byte[] {1, 2, 3});
    byte[] wire = serdes.heads().serializer().serialize(TOPIC, r);
    HeadRecord back = serdes.heads().deserializer().deserialize(TOPIC, wire);
    assertThat(back).isEqualTo(r);
    HeadRecords.verify(HeadsTopic.parse("custom@3"), back);
    assertThat(HeadRecords.bytes(back)).containsExactly(1, 2, 3);
  }

  @Test
  void thePublisherWritesHistoryThenPointer() {
    List<ProducerRecord<byte[], byte[]>> sent = publish(serdes, head("custom", 1, new byte[] {1}));
    assertThat(sent)
        .extracting(p -> new String(p.key(), StandardCharsets.UTF_8))
        .containsExactly("custom@1", "custom");
  }

  @Test
  void publishedVersionsAreCataloguedAndTheNewestServes() {
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    HeadRecord v2 = head("custom", 2, new byte[] {2});
    firstPoll();
    deliver(publish(serdes, v1, v2));
    watcher.pollOnce();

    assertThat(catalog.versions("custom"))
        .extracting(HeadRecord::getVersion)
        .containsExactly(1L, 2L);
    assertThat(catalog.serving("custom")).contains(v2);
    assertThat(annotator.descriptor().heads())
        .containsEntry("custom", HeadSwapper.versionString(v2));
    assertThat(initial.successors).as("v1 is superseded in the same poll: loaded once").hasSize(1);
    assertThat(outcomes).containsExactly("custom RECORDED", "custom RECORDED", "custom SWAPPED");
  }

  @Test
  void aCorruptPointerIsCountedAndTheServingHeadStays() {
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    firstPoll();
    deliver(publish(serdes, v1));
    watcher.pollOnce();
    outcomes.clear();

    HeadRecord bad = head("custom", 2, new byte[] {2});
    bad.setSha256(HeadRecords.sha256(new byte[] {3}));
    deliver(publish(serdes, bad));
    consumer.addRecord(
        new ConsumerRecord<>(
            TOPIC,
            1,
            0,
            "custom".getBytes(StandardCharsets.UTF_8),
            new byte[] {0, 0, 0, 0, 99, 1}));
    consumer.addRecord(
        new ConsumerRecord<>(TOPIC, 1, 1, "@x".getBytes(StandardCharsets.UTF_8), new byte[] {1}));
    watcher.pollOnce();

    assertThat(annotator.descriptor().heads())
        .containsEntry("custom", HeadSwapper.versionString(v1));
    assertThat(catalog.serving("custom")).contains(v1);
    assertThat(catalog.versions("custom")).extracting(HeadRecord::getVersion).containsExactly(1L);
    assertThat(outcomes)
        .contains("custom REJECTED_CORRUPT", "custom REJECTED_MALFORMED", "@x REJECTED_MALFORMED");
  }

  @Test
  void aRegistryOutageRewindsToTheFailingRecordInsteadOfSkippingIt() throws IOException {
    HeadsWatcher w =
        watcherWithRegistryAwayAtDecode(2); // the registry is away for the second record only
    HeadRecord custom = head("custom", 1, new byte[] {1});
    HeadRecord other = head("other", 1, new byte[] {2});
    consumer.updateEndOffsets(
        Map.of(new TopicPartition(TOPIC, 0), 2L, new TopicPartition(TOPIC, 1), 2L));
    assertThat(w.assign()).isTrue();
    consumer.seekToBeginning(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
    List<ConsumerRecord<byte[], byte[]>> onTopic = new ArrayList<>();
    List<ProducerRecord<byte[], byte[]>> toZero = publish(serdes, custom);
    List<ProducerRecord<byte[], byte[]>> toOne = publish(serdes, other);
    for (int i = 0; i < 2; i++) {
      onTopic.add(new ConsumerRecord<>(TOPIC, 0, i, toZero.get(i).key(), toZero.get(i).value()));
      onTopic.add(new ConsumerRecord<>(TOPIC, 1, i, toOne.get(i).key(), toOne.get(i).value()));
    }
    onTopic.forEach(consumer::addRecord);

    assertThatThrownBy(w::pollOnce)
        .isInstanceOf(HeadsWatcher.RegistryUnavailable.class)
        .hasMessageContaining("not the record's fault, so it is not skipped")
        .hasMessageContaining("schema.registry.url");
    assertThat(outcomes).as("only the record before the failure").hasSize(1);
    assertThat(w.caughtUp()).isFalse();
    assertThat(w.upToDate()).isFalse();

    // A mock consumer hands out each record once; the broker serves again from the positions.
    onTopic.forEach(consumer::addRecord);
    w.pollOnce();
    assertThat(outcomes)
        .as("every record once: none skipped, none read twice")
        .containsExactlyInAnyOrder(
            "custom RECORDED", "custom SWAPPED", "other RECORDED", "other SWAPPED");
    assertThat(catalog.serving("custom")).contains(custom);
    assertThat(catalog.serving("other")).contains(other);
    assertThat(w.caughtUp()).isTrue();
    assertThat(w.upToDate()).isTrue();
  }

  @Test
  void aRegistryOutageAfterAPointerLoadsOnlyTheNewestPointerOnceTheRegistryIsBack()
      throws IOException {
    HeadsWatcher w =
        watcherWithRegistryAwayAtDecode(3); // custom@1, custom -> v1, then custom@2 fails once
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    HeadRecord v2 = head("custom", 2, new byte[] {2});
    assertThat(w.assign()).isTrue();
    consumer.seekToBeginning(List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1)));
    w.pollOnce(); // the topic was empty at start-up: caught up
    assertThat(w.upToDate()).isTrue();
    List<ProducerRecord<byte[], byte[]>> sent = publish(serdes, v1, v2);
    deliver(sent);
    assertThatThrownBy(w::pollOnce).isInstanceOf(HeadsWatcher.RegistryUnavailable.class);
    assertThat(initial.successors).as("v1's pointer is not loaded yet").isEmpty();
    assertThat(w.caughtUp()).isTrue();
    assertThat(w.upToDate()).as("after start-up too, the retrainer waits").isFalse();
    w.pollOnce(); // a poll that brings nothing (the re-fetch is still on its way)
    assertThat(w.upToDate()).as("the failed record is still unread").isFalse();

    for (int i = 0; i < sent.size(); i++) {
      consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, i, sent.get(i).key(), sent.get(i).value()));
    }
    w.pollOnce();

    assertThat(catalog.serving("custom")).contains(v2);
    assertThat(w.upToDate()).isTrue();
    assertThat(initial.successors).as("v2 alone is loaded, once").hasSize(1);
    assertThat(outcomes).endsWith("custom SWAPPED").containsOnlyOnce("custom SWAPPED");
  }

  @Test
  void aDeletedHistoryRecordIsForgottenAndAPointerTombstoneChangesNothing() {
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    HeadRecord v2 = head("custom", 2, new byte[] {2});
    firstPoll();
    deliver(publish(serdes, v1, v2));
    consumer.addRecord(
        new ConsumerRecord<>(
            TOPIC, 0, offset++, "custom@1".getBytes(StandardCharsets.UTF_8), null));
    consumer.addRecord(
        new ConsumerRecord<>(TOPIC, 0, offset++, "custom".getBytes(StandardCharsets.UTF_8), null));
    watcher.pollOnce();

    assertThat(catalog.versions("custom")).extracting(HeadRecord::getVersion).containsExactly(2L);
    assertThat(catalog.serving("custom")).contains(v2);
    assertThat(annotator.descriptor().heads())
        .containsEntry("custom", HeadSwapper.versionString(v2));
  }

  @Test
  void aFailedPollIsCountedAndRetriedWithoutStoppingTheWatcher() throws InterruptedException {
    List<String> errors = new CopyOnWriteArrayList<>();
    HeadsWatcher w =
        new HeadsWatcher(
            consumer,
            TOPIC,
            serdes.heads().deserializer(),
            new HeadSwapper(annotator),
            catalog,
            new FeedbackMetrics() {
              @Override
              public void headsWatcherError(String kind) {
                errors.add(kind);
              }
            });
    assertThat(w.assign()).isTrue();
    consumer.setPollException(new KafkaException("Not authorized to access topics: [heads]"));
    Thread thread = new Thread(w);
    thread.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (errors.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    w.close();
    thread.interrupt(); // ends the 5 s pause before the retry
    thread.join(Duration.ofSeconds(10).toMillis());

    assertThat(errors).containsExactly("POLL_FAILED");
    assertThat(w.failed()).as("a failed poll is retried, not fatal").isFalse();
  }

  @Test
  void onStartUpACorruptNewestPointerFallsBackToTheOneBeforeIt() {
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    HeadRecord bad = head("custom", 2, new byte[] {2});
    bad.setSha256(HeadRecords.sha256(new byte[] {3}));
    firstPoll();
    deliver(publish(serdes, v1));
    deliver(publish(serdes, bad));
    watcher.pollOnce();

    assertThat(annotator.descriptor().heads())
        .containsEntry("custom", HeadSwapper.versionString(v1));
    assertThat(catalog.serving("custom")).contains(v1);
    assertThat(outcomes)
        .containsExactly(
            "custom RECORDED",
            "custom REJECTED_CORRUPT",
            "custom REJECTED_CORRUPT",
            "custom SWAPPED");
  }

  @Test
  void aNewHeadsTopicsSegmentHoldsTheLargestRecordAndAtLeastTheBrokersMinimum() {
    assertThat(HeadsTopic.segmentBytes(64 << 20)).isEqualTo(256L << 20);
    assertThat(HeadsTopic.segmentBytes(1024)).isEqualTo(1L << 20);
    assertThat(HeadsTopic.segmentBytes(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void keysAreNameOrNameAtVersion() {
    assertThat(HeadsTopic.parse("conll")).isEqualTo(new HeadsTopic.Key("conll", null));
    assertThat(HeadsTopic.parse("conll@12")).isEqualTo(new HeadsTopic.Key("conll", 12L));
    assertThat(HeadsTopic.historyKey("a.b", 3)).isEqualTo("a.b@3");
    assertThatThrownBy(() -> HeadsTopic.parse("conll@x")).hasMessageContaining("NAME@VERSION");
    assertThatThrownBy(() -> HeadsTopic.parse("conll@0")).hasMessageContaining("NAME@VERSION");
  }
}
