package dev.strata.it;

import static dev.strata.it.Pipeline.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.DeadLetterReason;
import dev.strata.app.stream.DeadLetters;
import dev.strata.app.stream.StrataApp;
import dev.strata.schemas.avro.AnnotatedRecord;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input on the real broker: each kind lands on the dead-letter topic with its original key,
 * value and headers plus {@code strata.dlq.*} headers, and the application keeps going.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class DeadLetterIT {
  @TempDir Path stateDir;

  private record Bad(String key, byte[] value, DeadLetterReason reason) {}

  @Test
  void badRecordsAreDeadLetteredWithOriginalBytesAndTheStreamKeepsRunning(
      EntityTaggerAnnotator annotator) throws Exception {
    try (Pipeline p = new Pipeline("dlq", 1, stateDir);
        StrataApp app = p.start(annotator);
        KafkaProducer<byte[], byte[]> producer = p.kafka.producer()) {
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
                  "empty", p.encode(Pipeline.text("empty", "   ")), DeadLetterReason.EMPTY_TEXT));
      List<Long> offsets = new ArrayList<>();
      for (Bad b : bad) {
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(p.input, Pipeline.key(b.key()), b.value());
        r.headers().add("trace-id", ("trace-" + b.key()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata m = producer.send(r).get();
        offsets.add(m.offset());
      }
      producer
          .send(
              new ProducerRecord<>(
                  p.input,
                  Pipeline.key("good"),
                  p.encode(Pipeline.text("good", "Angela Merkel visited Paris on Monday."))))
          .get();

      List<ConsumerRecord<byte[], byte[]>> good =
          p.kafka.readCommitted(
              p.output, r -> !r.isEmpty(), Duration.ofSeconds(120), Duration.ZERO);
      assertThat(good).hasSize(1);
      AnnotatedRecord annotated = p.decode(good.get(0).value());
      assertThat(annotated.getInputId()).isEqualTo("good");
      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

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
        assertThat(d.value()).as("original value of %s", b.key()).isEqualTo(b.value());
        assertThat(header(d, "trace-id")).isEqualTo("trace-" + b.key());
        assertThat(header(d, DeadLetters.TOPIC)).isEqualTo(p.input);
        assertThat(header(d, DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(header(d, DeadLetters.OFFSET)).isEqualTo(Long.toString(offsets.get(i)));
        assertThat(header(d, DeadLetters.MODEL_VERSION)).isEqualTo(annotator.modelVersion());
      }
      assertThat(header(dead.get(1), DeadLetters.EXCEPTION)).contains("987654321");
    }
  }
}
