package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A decoded input text waiting in the open micro-batch, with everything needed to emit its output
 * or to dead-letter its original bytes later, even after a restart restored it from the store.
 *
 * @param source where the record was read from
 * @param key original key bytes (may be null)
 * @param value original value bytes
 * @param headers original headers
 * @param timestamp the input record's timestamp
 * @param arrivalMs wall-clock time it joined the batch
 * @param id TextRecord.id
 * @param text TextRecord.text
 * @param eventTimeMs TextRecord.event_time in epoch milliseconds
 * @param tokens sub-token count, counted against the batch's token budget
 */
record PendingText(
    SourcePosition source,
    byte[] key,
    byte[] value,
    List<Header> headers,
    long timestamp,
    long arrivalMs,
    String id,
    String text,
    long eventTimeMs,
    int tokens) {

  private static final byte FORMAT_VERSION = 1;

  PendingText {
    requireNonNull(source, "source");
    requireNonNull(value, "value");
    requireNonNull(id, "id");
    requireNonNull(text, "text");
    headers = List.copyOf(headers);
  }

  /** Headers as a mutable Kafka {@link Headers}, for forwarding. */
  Headers kafkaHeaders() {
    RecordHeaders h = new RecordHeaders();
    headers.forEach(h::add);
    return h;
  }

  /** The store's value serde: a versioned binary layout. */
  static Serde<PendingText> serde() {
    return new Serde<>() {
      @Override
      public Serializer<PendingText> serializer() {
        return (topic, p) -> p == null ? null : write(p);
      }

      @Override
      public Deserializer<PendingText> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
      }
    };
  }

  private static byte[] write(PendingText p) {
    ByteArrayOutputStream bytes =
        new ByteArrayOutputStream(64 + p.value.length + 2 * p.text.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeUTF(p.source.topic());
      out.writeInt(p.source.partition());
      out.writeLong(p.source.offset());
      writeBytes(out, p.key);
      writeBytes(out, p.value);
      out.writeInt(p.headers.size());
      for (Header h : p.headers) {
        out.writeUTF(h.key());
        writeBytes(out, h.value());
      }
      out.writeLong(p.timestamp);
      out.writeLong(p.arrivalMs);
      writeBytes(out, p.id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      writeBytes(out, p.text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.writeLong(p.eventTimeMs);
      out.writeInt(p.tokens);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static PendingText read(byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte version = in.readByte();
      if (version != FORMAT_VERSION) {
        throw new SerializationException(
            "Open-batch store entry has format version "
                + version
                + ", this build reads "
                + FORMAT_VERSION
                + ". Roll back to the build that wrote it to drain the batch, or reset the"
                + " application's state (kafka-streams-application-reset).");
      }
      SourcePosition source = new SourcePosition(in.readUTF(), in.readInt(), in.readLong());
      byte[] key = readBytes(in);
      byte[] value = readBytes(in);
      int n = in.readInt();
      List<Header> headers = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        headers.add(new RecordHeader(in.readUTF(), readBytes(in)));
      }
      long timestamp = in.readLong();
      long arrival = in.readLong();
      String id = new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
      String text = new String(readBytes(in), java.nio.charset.StandardCharsets.UTF_8);
      long eventTime = in.readLong();
      int tokens = in.readInt();
      return new PendingText(
          source, key, value, headers, timestamp, arrival, id, text, eventTime, tokens);
    } catch (IOException e) {
      throw new SerializationException("Corrupt open-batch store entry: " + e, e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
