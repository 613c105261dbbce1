package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.HeadRecord;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a head version to the heads topic: first the history record {@code NAME@VERSION}, then the
 * serving pointer {@code NAME}, and waits for both. A crash between the two leaves a listed but not
 * serving version, which is harmless.
 */
public final class HeadPublisher implements AutoCloseable {
  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final Serializer<HeadRecord> serializer;

  public HeadPublisher(
      Producer<byte[], byte[]> producer, String topic, Serializer<HeadRecord> serializer) {
    this.producer = requireNonNull(producer, "producer");
    this.topic = requireNonNull(topic, "topic");
    this.serializer = requireNonNull(serializer, "serializer");
  }

  /** Publishes a new version: history record, then pointer. */
  public void publish(HeadRecord r) {
    send(HeadsTopic.historyKey(r.getName(), r.getVersion()), r);
    pointTo(r);
  }

  /** Makes {@code r} (an existing version) the serving one: the pointer record only. */
  public void pointTo(HeadRecord r) {
    send(HeadsTopic.pointerKey(r.getName()), r);
  }

  /**
   * Deletes the history record of one version: a tombstone, which compaction acts on.
   *
   * @throws IllegalStateException when the write fails
   */
  public void forget(String name, long version) {
    String key = HeadsTopic.historyKey(name, version);
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), null)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Deleting " + key + " from " + topic + " failed: " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting " + key, e);
    }
  }

  private void send(String key, HeadRecord r) {
    byte[] value = serializer.serialize(topic, r);
    try {
      producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "Publishing "
              + HeadRecords.describe(r)
              + " under key "
              + key
              + " to "
              + topic
              + " failed: "
              + e.getCause().getMessage()
              + " (a head larger than the topic's max.message.bytes needs a larger"
              + " heads.max.bytes)",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + HeadRecords.describe(r), e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
