package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.feedback.FeedbackKeys;
import dev.strata.app.feedback.FeedbackMetrics;
import dev.strata.app.feedback.FeedbackTopology;
import dev.strata.app.feedback.FeedbackVerdict;
import dev.strata.app.feedback.StoredFeedback;
import dev.strata.app.feedback.StructuralFeedbackValidator;
import dev.strata.app.stream.metrics.MicrometerStreamMetrics;
import dev.strata.schemas.avro.FeedbackRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The feedback path on {@link TopologyTestDriver}: validation, dead letters, the store's rules. */
class FeedbackTopologyTest extends TopologyTestSupport {
  private static final String FEEDBACK = "fb";

  private final List<String> events = new ArrayList<>();

  private void start(int maxPerHead) {
    start(maxPerHead, Map.of());
  }

  private void start(int maxPerHead, Map<String, Object> overrides) {
    Map<String, Object> props = baseSettings();
    props.putAll(overrides);
    props.put(StrataConfig.TOPIC_FEEDBACK, FEEDBACK);
    props.put(StrataConfig.FEEDBACK_MAX_PER_HEAD, Integer.toString(maxPerHead));
    StrataConfig config = new StrataConfig(props);
    FeedbackMetrics metrics =
        new FeedbackMetrics() {
          @Override
          public void invalid(String problem) {
            events.add("invalid " + problem);
          }

          @Override
          public void stored(String head, StoreOutcome outcome) {
            events.add(head + " " + outcome);
          }
        };
    driver =
        new TopologyTestDriver(
            StrataTopology.build(
                config,
                new FakeAnnotator(),
                serdes,
                new MicrometerStreamMetrics(meters),
                new StructuralFeedbackValidator(),
                metrics),
            driverProperties(config),
            T0);
    input = driver.createInputTopic(FEEDBACK, new ByteArraySerializer(), new ByteArraySerializer());
    deadLetters =
        driver.createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static FeedbackRecord tokens(
      String head, String id, String text, List<String> tokens, List<String> tags, Instant at) {
    return FeedbackRecord.newBuilder()
        .setId(id)
        .setHead(head)
        .setText(text)
        .setTokens(tokens)
        .setTags(tags)
        .setSource("test")
        .setEventTime(at)
        .build();
  }

  private static FeedbackRecord person(String head, String id, String name, Instant at) {
    return tokens(head, id, name + " runs", List.of(name, "runs"), List.of("B-PER", "O"), at);
  }

  private void send(FeedbackRecord r) {
    input.pipeInput(
        r.getId().getBytes(StandardCharsets.UTF_8),
        serdes.feedback().serializer().serialize(FEEDBACK, r),
        T0);
  }

  private Map<String, StoredFeedback> stored() {
    KeyValueStore<String, StoredFeedback> store = driver.getKeyValueStore(FeedbackTopology.STORE);
    Map<String, StoredFeedback> out = new HashMap<>();
    try (KeyValueIterator<String, StoredFeedback> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, StoredFeedback> kv = it.next();
        out.put(kv.key, kv.value);
      }
    }
    return out;
  }

  @Test
  void validFeedbackIsStoredByHeadAndId() {
    start(100);
    send(person("conll", "1", "Alice", T0));
    send(person("custom", "1", "Bob", T0));

    Map<String, StoredFeedback> stored = stored();
    assertThat(stored)
        .containsOnlyKeys(FeedbackKeys.key("conll", "1"), FeedbackKeys.key("custom", "1"));
    assertThat(stored.get(FeedbackKeys.key("custom", "1")).record().getText())
        .isEqualTo("Bob runs");
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(events).containsExactly("conll STORED", "custom STORED");
  }

  @Test
  void invalidFeedbackIsDeadLetteredWithItsProblem() {
    start(100);
    FeedbackRecord bad =
        tokens("conll", "7", "Alice runs", List.of("Alice", "runs"), List.of("B-PER"), T0);
    byte[] value = serdes.feedback().serializer().serialize(FEEDBACK, bad);
    input.pipeInput("7".getBytes(StandardCharsets.UTF_8), value, T0);
    send(tokens("conll", "8", "Alice runs", List.of("Alice", "runs"), List.of("I-PER", "O"), T0));

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(2);
    assertThat(dead.get(0).value()).isEqualTo(value);
    assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("7");
    assertThat(header(dead.get(0).headers(), DeadLetters.REASON))
        .isEqualTo(DeadLetterReason.INVALID_FEEDBACK.name());
    assertThat(header(dead.get(0).headers(), DeadLetters.PROBLEM))
        .isEqualTo("TOKENS_TAGS_LENGTH_MISMATCH");
    assertThat(header(dead.get(0).headers(), DeadLetters.EXCEPTION))
        .contains("2 tokens but 1 tags");
    assertThat(header(dead.get(0).headers(), DeadLetters.TOPIC)).isEqualTo(FEEDBACK);
    assertThat(header(dead.get(1).headers(), DeadLetters.PROBLEM))
        .isEqualTo("ILLEGAL_IOB2_SEQUENCE");
    assertThat(stored()).isEmpty();
    assertThat(events)
        .containsExactly("invalid TOKENS_TAGS_LENGTH_MISMATCH", "invalid ILLEGAL_IOB2_SEQUENCE");
    assertThat(
            meters
                .counter(
                    "strata.records.dead.lettered",
                    "reason",
                    "INVALID_FEEDBACK",
                    "source",
                    "feedback")
                .count())
        .isEqualTo(2);
    assertThat(
            meters
                .counter(
                    "strata.records.dead.lettered", "reason", "INVALID_FEEDBACK", "source", "input")
                .count())
        .isZero();
  }

  @Test
  void feedbackTooLargeToStoreIsDeadLetteredNotStored() {
    start(100, Map.of("streams.producer.max.request.size", "65536"));
    String name = "A".repeat(60_000);
    send(person("conll", "1", name, T0));
    send(person("conll", "2", "Alice", T0));

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertThat(header(dead.get(0).headers(), DeadLetters.PROBLEM)).isEqualTo("TOO_LARGE");
    assertThat(header(dead.get(0).headers(), DeadLetters.EXCEPTION))
        .contains("max.request.size of 65536");
    assertThat(dead.get(0).value()).as("too large for the dead-letter topic too").isEmpty();
    assertThat(header(dead.get(0).headers(), DeadLetters.VALUE_OMITTED))
        .endsWith("the original is at " + FEEDBACK + "-0@0");
    assertThat(stored()).containsOnlyKeys(FeedbackKeys.key("conll", "2"));
    assertThat(events).containsExactly("invalid TOO_LARGE", "conll STORED");
  }

  @Test
  void bytesThatAreNotFeedbackAreDeadLetteredAsForTexts() {
    start(100);
    input.pipeInput("k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3}, T0);
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertThat(header(dead.headers(), DeadLetters.REASON)).isEqualTo("NOT_WIRE_FORMAT");
    assertThat(header(dead.headers(), DeadLetters.EXCEPTION))
        .startsWith("only 3 bytes; the Confluent wire format needs at least 5")
        .endsWith("send FeedbackRecord values, e.g. with 'strata feedback'");
    assertThat(stored()).isEmpty();
  }

  @Test
  void newestEventTimeWinsPerId() {
    start(100);
    send(person("conll", "1", "Alice", T0));
    send(person("conll", "1", "Carol", T0.plusSeconds(10)));
    send(person("conll", "1", "Dave", T0.plusSeconds(5)));

    Map<String, StoredFeedback> stored = stored();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(FeedbackKeys.key("conll", "1")).record().getText())
        .isEqualTo("Carol runs");
    assertThat(events).containsExactly("conll STORED", "conll REPLACED", "conll STALE");
  }

  @Test
  void eachHeadIsBoundedAndLosesTheExampleWrittenLongestAgo() {
    start(2);
    send(person("conll", "a", "Alice", T0));
    send(person("conll", "b", "Bob", T0));
    send(person("conll", "a", "Anna", T0.plusSeconds(1))); // rewritten: now the newest
    send(person("conll", "c", "Carol", T0));
    send(person("other", "x", "Xavier", T0));

    assertThat(stored())
        .containsOnlyKeys(
            FeedbackKeys.key("conll", "a"),
            FeedbackKeys.key("conll", "c"),
            FeedbackKeys.key("other", "x"));
    assertThat(events).contains("conll EVICTED").doesNotContain("other EVICTED");
  }

  @Test
  void theRepartitionTopicIsKeyedByHead() {
    start(100);
    assertThat(driver.producedTopicNames()).isEmpty();
    send(person("conll", "1", "Alice", T0));
    assertThat(driver.producedTopicNames())
        .anyMatch(t -> t.endsWith(FeedbackTopology.REPARTITION + "-repartition"));
  }

  @Test
  void aValidatorVerdictNeedsBothProblemAndMessage() {
    assertThat(FeedbackVerdict.VALID.valid()).isTrue();
    assertThat(FeedbackVerdict.invalid("X", "why").valid()).isFalse();
  }
}
