package dev.strata.app.stream;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.utils.Utils;

/**
 * The largest record the application may write: the producer's {@code max.request.size} as Kafka
 * Streams will use it. A larger record fails the send, and under exactly-once the whole transaction
 * with it, so the task stops and re-reads the same input after every restart. Records that could
 * exceed it are therefore caught before they are written: texts at the decoder, outputs in the
 * batcher, dead letters at the dead-letter sink.
 *
 * @param maxRequestSize the producer's {@code max.request.size}, in bytes
 */
public record RecordSizeLimit(int maxRequestSize) {
  /** Room left for the record key, timestamps and the batch framing, in bytes. */
  public static final int HEADROOM = 16 * 1024;

  private static final int BATCH_OVERHEAD = 61;
  private static final int MAX_RECORD_OVERHEAD = 21;

  /** Smallest {@code max.request.size} Strata accepts. */
  static final int MIN_REQUEST_SIZE = 4 * HEADROOM;

  private static final String PRODUCER_KEY = "producer." + ProducerConfig.MAX_REQUEST_SIZE_CONFIG;

  public RecordSizeLimit {
    if (maxRequestSize < MIN_REQUEST_SIZE) {
      throw new IllegalArgumentException(
          "maxRequestSize must be at least " + MIN_REQUEST_SIZE + ", got " + maxRequestSize);
    }
  }

  /**
   * The limit from the settings Strata passes to Kafka Streams: {@code
   * PREFIXproducer.max.request.size}, else {@code PREFIXmax.request.size}, else the producer's
   * default.
   *
   * @param settings configuration entries, keys with {@code prefix}
   * @param prefix what Kafka Streams keys start with in {@code settings}
   * @throws ConfigException when the value is not a whole number of at least {@link
   *     #MIN_REQUEST_SIZE}
   */
  static RecordSizeLimit of(Map<String, String> settings, String prefix) {
    for (String key : List.of(PRODUCER_KEY, ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) {
      String value = settings.get(prefix + key);
      if (value == null) {
        continue;
      }
      int bytes;
      try {
        bytes = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(prefix + key, value, "not a whole number of bytes");
      }
      if (bytes < MIN_REQUEST_SIZE) {
        throw new ConfigException(
            prefix + key,
            value,
            "Strata writes records of up to this size (texts, dead letters); use at least "
                + MIN_REQUEST_SIZE);
      }
      return new RecordSizeLimit(bytes);
    }
    return new RecordSizeLimit(
        (Integer)
            ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
  }

  /** Bytes left for a record's value and headers. */
  public int forValueAndHeaders() {
    return maxRequestSize - HEADROOM;
  }

  /**
   * The producer's upper bound for a record alone in a batch (record batch format 2), which {@code
   * KafkaProducer} compares with {@code max.request.size}: 61 bytes of batch header, at most 21 of
   * record framing (length, attributes, timestamp and offset deltas), then the key, the value and
   * each header with their lengths as varints.
   */
  public long sizeOf(byte[] key, int valueBytes, Headers headers) {
    long n =
        BATCH_OVERHEAD + MAX_RECORD_OVERHEAD + withLength(key) + varint(valueBytes) + valueBytes;
    int count = 0;
    for (var h : headers) {
      int keyBytes = Utils.utf8Length(h.key());
      n += varint(keyBytes) + keyBytes + withLength(h.value());
      count++;
    }
    return n + varint(count);
  }

  private static int withLength(byte[] bytes) {
    return bytes == null ? varint(-1) : varint(bytes.length) + bytes.length;
  }

  /**
   * Bytes of {@code value} as a zig-zag varint, as Kafka writes record lengths (its own helper is
   * internal API; RecordSizeLimitTest checks the total against Kafka's estimate).
   */
  private static int varint(int value) {
    int v = (value << 1) ^ (value >> 31);
    int bytes = 1;
    while ((v & 0xffffff80) != 0) {
      v >>>= 7;
      bytes++;
    }
    return bytes;
  }

  /**
   * Whether the producer accepts a record of {@code key}, {@code valueBytes} and {@code headers}.
   */
  public boolean fits(byte[] key, int valueBytes, Headers headers) {
    return sizeOf(key, valueBytes, headers) <= maxRequestSize;
  }

  /** The size of {@code headers} in a record: names in UTF-8 plus values. */
  public static long bytesOf(Headers headers) {
    long n = 0;
    for (var h : headers) {
      n += Utils.utf8Length(h.key()) + (h.value() == null ? 0 : h.value().length);
    }
    return n;
  }
}
