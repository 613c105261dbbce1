package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.FeedbackRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * One example in the feedback store.
 *
 * @param seq when it was written, as an increasing per-task sequence number (the eviction order,
 *     and how the retrainer counts new examples)
 * @param record the validated feedback record
 */
public record StoredFeedback(long seq, FeedbackRecord record) {
  public StoredFeedback {
    requireNonNull(record, "record");
  }

  /**
   * Store serde: 8-byte big-endian {@code seq}, then the record in Avro single-object encoding
   * (schema fingerprint + binary; no registry needed for a local store or its changelog).
   */
  public static Serde<StoredFeedback> serde() {
    Serializer<StoredFeedback> ser =
        (topic, v) -> {
          if (v == null) {
            return null;
          }
          byte[] body = encode(v.record());
          return ByteBuffer.allocate(8 + body.length).putLong(v.seq()).put(body).array();
        };
    Deserializer<StoredFeedback> de =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          ByteBuffer b = ByteBuffer.wrap(bytes);
          long seq = b.getLong();
          return new StoredFeedback(seq, decode(b.slice()));
        };
    return Serdes.serdeFrom(ser, de);
  }

  /** Serde of bare feedback records in single-object encoding (the repartition topic). */
  public static Serde<FeedbackRecord> recordSerde() {
    return Serdes.serdeFrom(
        (topic, v) -> v == null ? null : encode(v),
        (topic, bytes) -> bytes == null ? null : decode(ByteBuffer.wrap(bytes)));
  }

  private static byte[] encode(FeedbackRecord r) {
    try {
      ByteBuffer b = r.toByteBuffer();
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode feedback record " + r.getId(), e);
    }
  }

  private static FeedbackRecord decode(ByteBuffer b) {
    try {
      return FeedbackRecord.fromByteBuffer(b);
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "cannot decode a stored feedback record (written by an incompatible version?): "
              + e.getMessage(),
          e);
    }
  }
}
