package dev.strata.app.stream;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds dead-letter records: the original key and value bytes plus {@code strata.dlq.*} headers. A
 * value too large to write (see {@link #valueSerializer}) is left out; the headers then say where
 * to read it.
 */
public final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  public static final String REASON = "strata.dlq.reason";
  public static final String TOPIC = "strata.dlq.topic";
  public static final String PARTITION = "strata.dlq.partition";
  public static final String OFFSET = "strata.dlq.offset";
  public static final String EXCEPTION = "strata.dlq.exception";
  public static final String MODEL_VERSION = "strata.dlq.model.version";
  public static final String PROBLEM = "strata.dlq.problem";

  /**
   * Set when the original value was left out because the record would exceed the producer's {@code
   * max.request.size}: the value's size and where the original is.
   */
  public static final String VALUE_OMITTED = "strata.dlq.value.omitted";

  /** Longest exception text carried in a header, in chars. */
  static final int MAX_EXCEPTION_CHARS = 2000;

  private DeadLetters() {}

  /**
   * A dead letter for one input record.
   *
   * @param headers the original headers (a copy is extended)
   * @param detail exception or explanation; {@code null} for none
   */
  public static Record<byte[], Object> record(
      byte[] key,
      byte[] value,
      long timestamp,
      Headers headers,
      SourcePosition source,
      DeadLetterReason reason,
      String detail,
      String modelVersion) {
    Record<byte[], Object> r = new Record<>(key, value, timestamp);
    Headers h = r.headers();
    headers.forEach(h::add);
    put(h, REASON, reason.name());
    put(h, TOPIC, source.topic());
    put(h, PARTITION, Integer.toString(source.partition()));
    put(h, OFFSET, Long.toString(source.offset()));
    if (detail != null) {
      put(
          h,
          EXCEPTION,
          detail.length() > MAX_EXCEPTION_CHARS
              ? detail.substring(0, MAX_EXCEPTION_CHARS)
              : detail);
    }
    put(h, MODEL_VERSION, modelVersion);
    return r;
  }

  /** {@code Class: message} of {@code e} and its causes. */
  public static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < MAX_EXCEPTION_CHARS; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- caused by ");
      }
      sb.append(t.getClass().getName());
      if (t.getMessage() != null) {
        sb.append(": ").append(t.getMessage());
      }
    }
    return sb.toString();
  }

  /**
   * The value serializer of the dead-letter sinks: the original bytes, or none (with {@link
   * #VALUE_OMITTED}) when value and headers would not fit in {@code limit}. Without it, one
   * oversized input record would fail every attempt to dead-letter it, and so stop the application
   * on every restart.
   */
  public static Serializer<byte[]> valueSerializer(RecordSizeLimit limit) {
    return new Serializer<>() {
      @Override
      public byte[] serialize(String topic, byte[] value) {
        return value;
      }

      @Override
      public byte[] serialize(String topic, Headers headers, byte[] value) {
        if (value == null
            || value.length + RecordSizeLimit.bytesOf(headers) <= limit.forValueAndHeaders()) {
          return value;
        }
        String where =
            text(headers, TOPIC) + "-" + text(headers, PARTITION) + "@" + text(headers, OFFSET);
        put(
            headers,
            VALUE_OMITTED,
            value.length
                + " bytes, over the producer's max.request.size of "
                + limit.maxRequestSize()
                + "; the original is at "
                + where);
        LOG.warn(
            "Dead letter of {} to {} carries no value: its {} bytes exceed the producer's"
                + " max.request.size of {}",
            where,
            topic,
            value.length,
            limit.maxRequestSize());
        return new byte[0];
      }
    };
  }

  private static String text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** Sets header {@code name} to {@code value} (UTF-8), replacing any earlier one. */
  public static void put(Headers h, String name, String value) {
    h.remove(name);
    h.add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
