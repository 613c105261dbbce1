package dev.strata.app.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.stream.InMemoryRegistry;
import dev.strata.app.stream.StrataConfig;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.app.stream.StrataTopology;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.avro.TextRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A swap between batches shows in the outputs: model.heads and the version header change. */
class SwapInTopologyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @TempDir Path stateDir;
  private InMemoryRegistry registry;
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void outputsCarryTheHeadVersionsOfTheSnapshotTheirBatchRanOn() throws IOException {
    registry = new InMemoryRegistry();
    StrataSerdes serdes = StrataSerdes.confluent(registry.client());
    Map<String, Object> props = new HashMap<>();
    props.put(StrataConfig.BOOTSTRAP_SERVERS, "unused:9092");
    props.put(StrataConfig.SCHEMA_REGISTRY_URL, registry.url());
    props.put(StrataConfig.MODEL_PATH, "unused.model");
    props.put(StrataConfig.BATCH_MAX_RECORDS, "2");
    props.put(StrataConfig.BATCH_MAX_WAIT_MS, "60000");
    StrataConfig config = new StrataConfig(props);
    FakeSnapshot initial = new FakeSnapshot("bb", Map.of("base", "file:abc"));
    SwappableAnnotator annotator = new SwappableAnnotator(initial);
    HeadSwapper swapper = new HeadSwapper(annotator);
    Properties streams = config.streamsProperties();
    streams.put(StreamsConfig.APPLICATION_ID_CONFIG, "swap-" + UUID.randomUUID());
    streams.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(StrataTopology.build(config, annotator, serdes), streams, T0);
    TestInputTopic<byte[], byte[]> in =
        driver.createInputTopic(
            config.inputTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    TestOutputTopic<byte[], AnnotatedRecord> out =
        driver.createOutputTopic(
            config.outputTopic(), new ByteArrayDeserializer(), serdes.annotated().deserializer());
    for (String id : List.of("a", "b")) {
      send(in, serdes, config, id);
    }
    HeadRecord custom = HeadRecords.builder("custom", 1, "bb", T0, new byte[] {1, 2}).build();
    assertThat(swapper.offer(HeadsTopic.parse("custom"), custom)).isEqualTo(SwapOutcome.SWAPPED);
    for (String id : List.of("c", "d")) {
      send(in, serdes, config, id);
    }

    List<TestRecord<byte[], AnnotatedRecord>> records = out.readRecordsToList();
    assertThat(records).hasSize(4);
    assertThat(records.get(0).value().getModel().getHeads()).containsOnlyKeys("base");
    assertThat(records.get(1).value().getModel().getHeads()).containsOnlyKeys("base");
    assertThat(records.get(2).value().getModel().getHeads())
        .containsEntry("base", "file:abc")
        .containsEntry("custom", HeadSwapper.versionString(custom));
    String before = header(records.get(0));
    String after = header(records.get(3));
    assertThat(before).doesNotContain("custom");
    assertThat(after).contains("custom");
    assertThat(initial.retired).hasValue(1);
  }

  private static String header(TestRecord<byte[], AnnotatedRecord> r) {
    return new String(
        r.headers().lastHeader("strata.model.version").value(), StandardCharsets.UTF_8);
  }

  private static void send(
      TestInputTopic<byte[], byte[]> in, StrataSerdes serdes, StrataConfig config, String id) {
    TextRecord t = TextRecord.newBuilder().setId(id).setText("text " + id).setEventTime(T0).build();
    in.pipeInput(
        id.getBytes(StandardCharsets.UTF_8),
        serdes.text().serializer().serialize(config.inputTopic(), t),
        T0);
  }
}
