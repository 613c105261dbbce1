package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.AnnotatedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Rounds of the same texts sent through a running pipeline: each round's records get fresh ids
 * ({@code prefix-i}) and are read back from the output topic in the order the texts were sent.
 */
final class AnnotationRounds {
  private final Pipeline p;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<String> texts;
  private final String head;

  /** {@code head} is the head whose serving version {@link #until} waits for. */
  AnnotationRounds(
      Pipeline p, KafkaProducer<byte[], byte[]> producer, List<String> texts, String head) {
    this.p = p;
    this.producer = producer;
    this.texts = List.copyOf(texts);
    this.head = head;
  }

  /**
   * Sends rounds (ids {@code prefix.round-i}) until every record of a round carries {@code
   * expectedVersion} of the head (a published head serves once the watcher swapped it in), and
   * returns that round's records; after 60 s returns the last round as it is.
   */
  List<AnnotatedRecord> until(String prefix, String expectedVersion) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int round = 0; ; round++) {
      List<AnnotatedRecord> out = once(prefix + "." + round, expectedVersion);
      boolean all =
          out.stream().allMatch(r -> expectedVersion.equals(r.getModel().getHeads().get(head)));
      if (all || System.nanoTime() > deadline) {
        return out;
      }
      Thread.sleep(500);
    }
  }

  /**
   * Sends one round (ids {@code prefix-i}) and returns its annotated records in order; the records
   * are read from the whole output topic, so earlier rounds are skipped by id. {@code
   * expectedVersion} only labels the failure when a record is missing after 120 s.
   */
  List<AnnotatedRecord> once(String prefix, String expectedVersion) throws Exception {
    for (int i = 0; i < texts.size(); i++) {
      String id = prefix + "-" + i;
      producer.send(
          new ProducerRecord<>(
              p.input, Pipeline.key(id), p.encode(Pipeline.text(id, texts.get(i)))));
    }
    producer.flush();
    List<ConsumerRecord<byte[], byte[]>> read =
        p.kafka.readCommitted(
            p.output,
            r -> r.stream().filter(c -> isOfRound(c, prefix)).count() >= texts.size(),
            Duration.ofSeconds(120),
            Duration.ZERO);
    AnnotatedRecord[] out = new AnnotatedRecord[texts.size()];
    for (ConsumerRecord<byte[], byte[]> c : read) {
      AnnotatedRecord r = p.decode(c.value());
      if (r.getInputId().startsWith(prefix + "-")) {
        out[Integer.parseInt(r.getInputId().substring(prefix.length() + 1))] = r;
      }
    }
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i])
          .as("annotated record %s-%d (model %s)", prefix, i, expectedVersion)
          .isNotNull();
    }
    return List.of(out);
  }

  private static boolean isOfRound(ConsumerRecord<byte[], byte[]> c, String prefix) {
    return new String(c.key(), StandardCharsets.UTF_8).startsWith(prefix + "-");
  }
}
