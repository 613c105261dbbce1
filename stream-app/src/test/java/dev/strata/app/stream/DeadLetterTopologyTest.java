package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.AnnotatedRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Every input the topology cannot annotate goes to the dead-letter topic with its original key and
 * value and the reason, source position, exception and model version in headers; a model failure is
 * retried text by text, and the {@code FAIL} policy stops the stream instead.
 */
class DeadLetterTopologyTest extends TopologyTestSupport {
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
  void deadLettersATextOverTextMaxTokensAndAnnotatesOneAtTheLimit() {
    start(Map.of(StrataConfig.TEXT_MAX_TOKENS, "3", StrataConfig.BATCH_MAX_RECORDS, "1"));
    byte[] value = encode("four", "Four words are here");
    input.pipeInput(key("four"), value, T0);
    send("three", "Three words here");

    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertThat(dead).hasSize(1);
    assertDeadLetter(
        dead.get(0),
        "four",
        value,
        DeadLetterReason.TEXT_TOO_LONG,
        0,
        "4 sub-tokens, the limit is 3");
    assertThat(header(dead.get(0).headers(), DeadLetters.EXCEPTION)).contains("text.max.tokens");
    assertThat(outputIds()).containsExactly("three");
  }

  @Test
  void aTextTooLargeToStoreIsDeadLetteredWithItsValueWhenThatFits() {
    start(Map.of("streams.producer.max.request.size", "65536"));
    // 15,000 chars pass text.max.chars, but the record (30 kB) and its text (30 kB) do not fit
    // in 65536 - 16384 bytes; the dead letter alone does.
    byte[] value = encode("big", "é".repeat(15_000));
    input.pipeInput(key("big"), value, T0);

    TestRecord<byte[], byte[]> r = onlyDeadLetter();
    assertDeadLetter(
        r, "big", value, DeadLetterReason.TEXT_TOO_LONG, 0, "max.request.size of 65536");
    assertThat(header(r.headers(), DeadLetters.VALUE_OMITTED)).isNull();
  }

  @Test
  void aDeadLetterTooLargeToWriteCarriesWhereTheOriginalIsInsteadOfTheValue() {
    start(Map.of("streams.producer.max.request.size", "65536"));
    byte[] value = encode("huge", "é".repeat(30_000));
    input.pipeInput(key("huge"), value, T0);

    TestRecord<byte[], byte[]> r = onlyDeadLetter();
    assertThat(r.value()).isEmpty();
    assertThat(header(r.headers(), DeadLetters.REASON))
        .isEqualTo(DeadLetterReason.TEXT_TOO_LONG.name());
    assertThat(header(r.headers(), DeadLetters.VALUE_OMITTED))
        .isEqualTo(
            value.length
                + " bytes, over the producer's max.request.size of 65536; the original is at "
                + IN
                + "-0@0");
  }

  @Test
  void anOutputTooLargeToWriteIsDeadLetteredAndTheRestOfTheBatchGoesOut() {
    start(
        Map.of("streams.producer.max.request.size", "65536", StrataConfig.BATCH_MAX_RECORDS, "2"));
    // About 20 kB of text: as input it fits (stored twice in 65536 - 16384 bytes), but every word
    // is an entity, and the output carries the text again and about 35 bytes per entity.
    byte[] value = encode("dense", "Abcdefghij ".repeat(1_800));
    RecordHeaders trace = new RecordHeaders();
    trace.add("trace-id", new byte[] {4, 2});
    input.pipeInput(new TestRecord<>(key("dense"), value, trace, T0));
    send("small", "Alice");

    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertDeadLetter(
        dead, "dense", value, DeadLetterReason.OUTPUT_TOO_LARGE, 0, "(19800 chars, 1800 entities)");
    assertThat(header(dead.headers(), DeadLetters.EXCEPTION))
        .contains("over the producer's max.request.size of 65536");
    assertThat(dead.headers().lastHeader("trace-id").value()).containsExactly(4, 2);
    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(outputIds()).containsExactly("small");
    assertThat(meters.counter("strata.records.out").count()).isEqualTo(1);
    assertThat(
            meters
                .counter(
                    "strata.records.dead.lettered",
                    "reason",
                    DeadLetterReason.OUTPUT_TOO_LARGE.name(),
                    "source",
                    "input")
                .count())
        .isEqualTo(1);
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
}
