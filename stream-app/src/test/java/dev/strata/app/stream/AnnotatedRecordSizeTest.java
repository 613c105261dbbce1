package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.AnnotatedRecord;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The output size check counts the bytes the output sink really writes. */
class AnnotatedRecordSizeTest extends TopologyTestSupport {
  @Test
  void countsWhatTheOutputSinkWrites() {
    start(Map.of(StrataConfig.BATCH_MAX_RECORDS, "1"));
    var raw =
        driver.createOutputTopic(OUT, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    send("k", "Alice met Bob in Zürich – naïve Émile too");

    TestRecord<byte[], byte[]> written = raw.readRecord();
    AnnotatedRecord value = serdes.annotated().deserializer().deserialize(OUT, written.value());
    assertThat(value.getEntities()).hasSize(4);

    assertThat(new AnnotatedRecordSize().of(written.key(), value, written.headers()))
        .isEqualTo(
            written.key().length
                + written.value().length
                + RecordSizeLimit.bytesOf(written.headers()));
  }
}
