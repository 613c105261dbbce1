package dev.strata.it;

import static dev.strata.it.Pipeline.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.DeadLetterReason;
import dev.strata.app.stream.DeadLetters;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the real broker: each kind lands on the dead-letter topic with its original key,
 * value and headers plus {@code strata.dlq.*} headers (a value too large to write is left out and
 * the headers say where it is), and the application keeps going. So does a text whose annotated
 * record would be too large to write.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class DeadLetterIT {
  @TempDir Path stateDir;

  /** A bad record; {@code valueKept} is whether its dead letter carries the original value. */
  private record Bad(String key, byte[] value, DeadLetterReason reason, boolean valueKept) {
    Bad(String key, byte[] value, DeadLetterReason reason) {
      this(key, value, reason, true);
    }
  }

  @Test
  void badRecordsAreDeadLetteredWithOriginalBytesAndTheStreamKeepsRunning(
      EntityTaggerAnnotator annotator) throws Exception {
    try (Pipeline p = new Pipeline("dlq", 1, stateDir);
        StrataApp app = p.start(annotator);
        // Compressed batches let a producer send a record larger than the broker's 1 MB limit.
        KafkaProducer<byte[], byte[]> producer =
            p.kafka.producer(
                Map.of(
                    ProducerConfig.COMPRESSION_TYPE_CONFIG,
                    "lz4",
                    ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                    8 << 20))) {
      byte[] unknownId =
          ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).putInt(0x02040608).array();
      List<Bad> bad =
          List.of(
              new Bad(
                  "plain",
                  "just some text, not Avro".getBytes(StandardCharsets.UTF_8),
                  DeadLetterReason.NOT_WIRE_FORMAT),
              new Bad("unknown-id", unknownId, DeadLetterReason.UNKNOWN_SCHEMA_ID),
              new Bad("tombstone", null, DeadLetterReason.NULL_VALUE),
              new Bad(
                  "empty", p.encode(Pipeline.text("empty", "   ")), DeadLetterReason.EMPTY_TEXT),
              // 2 MB of text: its dead letter would exceed the app's producer's max.request.size
              // (1 MB), and a send that fails stops the application, so the value is left out.
              new Bad(
                  "huge",
                  p.encode(Pipeline.text("huge", "Paris is lovely. ".repeat(120_000))),
                  DeadLetterReason.TEXT_TOO_LONG,
                  false));
      List<Long> offsets = new ArrayList<>();
      for (Bad b : bad) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(p.input, Pipeline.key(b.key()), b.value());
        r.headers().add("trace-id", ("trace-" + b.key()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata m = producer.send(r).get();
        offsets.add(m.offset());
      }
      aGoodTextStillComesOut(p, producer, app);

      List<ConsumerRecord<byte[], byte[]>> dead =
          p.kafka.readCommitted(
              p.deadLetters,
              r -> r.size() >= bad.size(),
              Duration.ofSeconds(30),
              Duration.ofSeconds(1));
      assertThat(dead).hasSize(bad.size());
      for (int i = 0; i < bad.size(); i++) {
        Bad b = bad.get(i);
        ConsumerRecord<byte[], byte[]> d = dead.get(i);
        assertThat(header(d, DeadLetters.REASON))
            .as("reason of %s", b.key())
            .isEqualTo(b.reason().name());
        assertThat(d.key()).isEqualTo(Pipeline.key(b.key()));
        assertThat(d.value())
            .as("original value of %s", b.key())
            .isEqualTo(b.valueKept() ? b.value() : new byte[0]);
        assertThat(header(d, DeadLetters.VALUE_OMITTED))
            .as("value omitted from %s", b.key())
            .isEqualTo(
                b.valueKept()
                    ? null
                    : b.value().length
                        + " bytes, over the producer's max.request.size of 1048576; the original"
                        + " is at "
                        + p.input
                        + "-0@"
                        + offsets.get(i));
        assertThat(header(d, "trace-id")).isEqualTo("trace-" + b.key());
        assertThat(header(d, DeadLetters.TOPIC)).isEqualTo(p.input);
        assertThat(header(d, DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(d, DeadLetters.OFFSET)).isEqualTo(Long.toString(offsets.get(i)));
        assertThat(header(d, DeadLetters.MODEL_VERSION)).isEqualTo(annotator.modelVersion());
      }
      assertThat(header(dead.get(1), DeadLetters.EXCEPTION)).contains("987654321");
    }
  }

  @Test
  void anOutputTooLargeToWriteIsDeadLetteredAndTheStreamKeepsRunning(
      EntityTaggerAnnotator annotator) throws Exception {
    try (Pipeline p =
            new Pipeline("dlq-out", 1, stateDir)
                .set("streams.producer.max.request.size", 65_536)
                .set(StrataConfig.TEXT_MAX_TOKENS, 8_192);
        StrataApp app = p.start(annotator);
        KafkaProducer<byte[], byte[]> producer = p.kafka.producer(Map.of())) {
      // About 22 kB of text fits the 64 KiB limit as input (stored with its text: 45 kB), but with
      // five entities per sentence its annotated record does not.
      byte[] dense =
          p.encode(
              Pipeline.text(
                  "dense",
                  "Angela Merkel met Paris Hilton in Berlin, Rome and Madrid. ".repeat(380)));
      long offset =
          producer.send(new ProducerRecord<>(p.input, Pipeline.key("dense"), dense)).get().offset();
      aGoodTextStillComesOut(p, producer, app);
      List<ConsumerRecord<byte[], byte[]>> dead =
          p.kafka.readCommitted(
              p.deadLetters, r -> !r.isEmpty(), Duration.ofSeconds(30), Duration.ofSeconds(1));
      assertThat(dead).hasSize(1);
      ConsumerRecord<byte[], byte[]> d = dead.get(0);
      assertThat(header(d, DeadLetters.REASON)).isEqualTo(DeadLetterReason.OUTPUT_TOO_LARGE.name());
      assertThat(d.value()).isEqualTo(dense);
      assertThat(header(d, DeadLetters.OFFSET)).isEqualTo(Long.toString(offset));
      assertThat(header(d, DeadLetters.EXCEPTION))
          .contains("over the producer's max.request.size of 65536");
    }
  }

  /** Sends a good text after the bad ones: it alone comes out, and the application runs on. */
  private static void aGoodTextStillComesOut(
      Pipeline p, KafkaProducer<byte[], byte[]> producer, StrataApp app) throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                p.input,
                Pipeline.key("good"),
                p.encode(Pipeline.text("good", "Angela Merkel visited Paris on Monday."))))
        .get();
    List<ConsumerRecord<byte[], byte[]>> good =
        p.kafka.readCommitted(p.output, r -> !r.isEmpty(), Duration.ofSeconds(120), Duration.ZERO);
    assertThat(good).extracting(r -> p.decode(r.value()).getInputId()).containsExactly("good");
    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }
}
