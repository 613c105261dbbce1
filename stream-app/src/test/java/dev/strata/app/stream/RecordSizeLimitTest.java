package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.internal.AbstractRecords;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.Test;

/**
 * A record's size is counted as the producer counts it before comparing with {@code
 * max.request.size}. Kafka's own estimate is internal API, so it is used here only, as the
 * reference.
 */
class RecordSizeLimitTest {
  private static long kafkasEstimate(byte[] key, byte[] value, Headers headers) {
    return AbstractRecords.estimateSizeInBytesUpperBound(
        RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE, key, value, headers.toArray());
  }

  @Test
  void countsARecordAsTheProducerDoes() {
    RecordSizeLimit limit = new RecordSizeLimit(1024 * 1024);
    RecordHeaders some = new RecordHeaders();
    some.add("strata.model.version", "bert-base-cased/base@v3".getBytes(StandardCharsets.UTF_8));
    some.add("trace-ü", null);
    some.add("big", new byte[70_000]);
    for (byte[] key : new byte[][] {null, {}, new byte[200], new byte[20_000]}) {
      for (int valueBytes : new int[] {0, 1, 127, 128, 16_383, 16_384, 900_000}) {
        for (Headers headers : new Headers[] {new RecordHeaders(), some}) {
          byte[] value = new byte[valueBytes];
          assertThat(limit.sizeOf(key, valueBytes, headers))
              .as(
                  "key %s, value %d, %d headers",
                  key == null ? null : key.length, valueBytes, size(headers))
              .isEqualTo(kafkasEstimate(key, value, headers));
        }
      }
    }
  }

  @Test
  void aRecordFitsUpToTheLimitItself() {
    RecordSizeLimit limit = new RecordSizeLimit(65_536);
    byte[] key = "k".getBytes(StandardCharsets.UTF_8);
    Headers none = new RecordHeaders();
    // Near 64 KiB the value's length takes 3 bytes as a varint, 2 more than for an empty value.
    int value = 65_536 - (int) limit.sizeOf(key, 0, none) - 2;
    assertThat(limit.sizeOf(key, value, none)).isEqualTo(65_536);
    assertThat(limit.fits(key, value, none)).isTrue();
    assertThat(limit.fits(key, value + 1, none)).isFalse();
  }

  private static int size(Headers headers) {
    int n = 0;
    for (Header ignored : headers) {
      n++;
    }
    return n;
  }
}
