package dev.strata.app.bench;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.BatchStoreType;
import dev.strata.app.stream.StrataConfig;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.app.stream.StrataTopology;
import dev.strata.schemas.avro.TextRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * One timed pass of the full topology ({@link StrataTopology#build}) on a {@link
 * TopologyTestDriver}: Avro-encoded TextRecords in, AnnotatedRecords out (as bytes, so the reading
 * side costs nothing), with the application's default settings except that a micro-batch is flushed
 * on exactly {@code batchSize} records (token budget at its maximum, deadline far away; the last
 * partial batch is flushed by advancing the wall clock). Input bytes are encoded before the clock
 * starts: producing them is not the application's cost.
 */
final class TopologyRun {
  private static final String IN = "bench-text";
  private static final String OUT = "bench-annotated";
  private static final String DLQ = "bench-dead-letter";
  private static final Duration MAX_WAIT = Duration.ofMinutes(1);

  private final StrataSerdes serdes;
  private final String registryUrl;
  private final int batchSize;

  TopologyRun(StrataSerdes serdes, String registryUrl, int batchSize) {
    this.serdes = requireNonNull(serdes, "serdes");
    this.registryUrl = requireNonNull(registryUrl, "registryUrl");
    this.batchSize = batchSize;
  }

  /** The input values of {@code records} texts, in the Confluent wire format. */
  List<TestRecord<byte[], byte[]>> encode(BenchTexts texts, int records, Instant timestamp) {
    List<TestRecord<byte[], byte[]>> out = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      String id = "r" + i;
      TextRecord r =
          TextRecord.newBuilder().setId(id).setText(texts.text(i)).setEventTime(timestamp).build();
      out.add(
          new TestRecord<>(
              id.getBytes(StandardCharsets.UTF_8),
              serdes.text().serializer().serialize(IN, r),
              timestamp));
    }
    return out;
  }

  /**
   * Feeds {@code input} through a fresh topology and returns records/s from the first input to the
   * last output.
   *
   * @throws IllegalStateException when not every input came out annotated
   */
  double recordsPerSecond(Annotator annotator, List<TestRecord<byte[], byte[]>> input) {
    return recordsPerSecond(annotator, input, BatchStoreType.ROCKSDB);
  }

  /** As {@link #recordsPerSecond(Annotator, List)} with the open batch in {@code store}. */
  double recordsPerSecond(
      Annotator annotator, List<TestRecord<byte[], byte[]>> input, BatchStoreType store) {
    Path stateDir;
    try {
      stateDir = Files.createTempDirectory("strata-bench-state");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create a temporary state directory", e);
    }
    StrataConfig config =
        new StrataConfig(
            Map.of(
                StrataConfig.BOOTSTRAP_SERVERS,
                "unused:9092",
                StrataConfig.SCHEMA_REGISTRY_URL,
                registryUrl,
                StrataConfig.MODEL_PATH,
                "unused",
                StrataConfig.TOPIC_INPUT,
                IN,
                StrataConfig.TOPIC_OUTPUT,
                OUT,
                StrataConfig.TOPIC_DEAD_LETTER,
                DLQ,
                StrataConfig.BATCH_MAX_RECORDS,
                Integer.toString(batchSize),
                StrataConfig.BATCH_MAX_TOKENS,
                "1000000",
                StrataConfig.BATCH_MAX_WAIT_MS,
                Long.toString(MAX_WAIT.toMillis())));
    Properties props = config.streamsProperties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "strata-bench-" + System.nanoTime());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            StrataTopology.build(config, annotator, serdes), props, Instant.now())) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(IN, new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> out =
          driver.createOutputTopic(OUT, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      long start = System.nanoTime();
      in.pipeRecordList(input);
      driver.advanceWallClockTime(MAX_WAIT);
      long emitted = out.getQueueSize();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (emitted != input.size()) {
        long dead =
            driver
                .createOutputTopic(DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .getQueueSize();
        throw new IllegalStateException(
            "the topology emitted "
                + emitted
                + " annotated records for "
                + input.size()
                + " inputs ("
                + dead
                + " dead letters); run with STRATA_LOG_LEVEL=DEBUG to see why");
      }
      List<byte[]> values = out.readValuesToList();
      String lastId =
          serdes
              .annotated()
              .deserializer()
              .deserialize(OUT, values.get(values.size() - 1))
              .getInputId();
      String expected = "r" + (input.size() - 1);
      if (!lastId.equals(expected)) {
        throw new IllegalStateException(
            "the last output annotates " + lastId + ", not the last input " + expected);
      }
      return input.size() / seconds;
    } finally {
      deleteRecursively(stateDir);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort: a temp directory left behind is harmless
    }
  }
}
