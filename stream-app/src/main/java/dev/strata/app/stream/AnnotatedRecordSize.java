package dev.strata.app.stream;

import dev.strata.schemas.avro.AnnotatedRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.header.Headers;

/**
 * The size of an output record as the output sink writes it: key, Confluent wire header, Avro
 * binary value and headers. An annotated record carries its text and every entity, so a long text
 * dense with entities can outgrow the producer's {@code max.request.size} although its input record
 * fit; {@link MicroBatcher} measures each output before forwarding it.
 *
 * <p>The value is encoded once more, into a counter rather than a buffer. One instance per
 * processor: not thread-safe.
 */
final class AnnotatedRecordSize {
  /** Magic byte and schema id before the Avro data. */
  private static final int WIRE_HEADER = 5;

  private final SpecificDatumWriter<AnnotatedRecord> writer =
      new SpecificDatumWriter<>(AnnotatedRecord.class);
  private final CountingSink sink = new CountingSink();
  private BinaryEncoder encoder;

  /** Bytes of {@code key}, {@code value} in wire format and {@code headers}. */
  long of(byte[] key, AnnotatedRecord value, Headers headers) {
    sink.count = 0;
    encoder = EncoderFactory.get().directBinaryEncoder(sink, encoder);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("counting never fails", e);
    }
    return (key == null ? 0 : key.length)
        + WIRE_HEADER
        + sink.count
        + RecordSizeLimit.bytesOf(headers);
  }

  /** Discards what it is given and counts it. */
  private static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
