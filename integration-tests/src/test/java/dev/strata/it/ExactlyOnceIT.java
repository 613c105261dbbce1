package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once across a crash: a first instance runs as {@code strata run} in its own JVM and is
 * killed (SIGKILL, no clean shutdown) part-way through the first half of the input, while it has
 * written outputs it has not committed; the rest is sent, and a second instance with the same
 * application id finishes the work. Read with {@code isolation.level=read_committed}, every input
 * id appears exactly once on the output topic, and the log also holds the aborted outputs.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class ExactlyOnceIT {
  private static final int N = 200;
  private static final int KILL_AFTER = 40;

  /** Inputs sent before the first instance has answered anything: one micro-batch. */
  private static final int FIRST_BATCH = 4;

  /** One more input of the first half every PACE once the first instance answers. */
  private static final Duration PACE = Duration.ofMillis(50);

  private static final String[] PEOPLE = {
    "Angela Merkel", "Jacques Chirac", "Bill Clinton", "Boris Yeltsin", "Nelson Mandela"
  };
  private static final String[] PLACES = {"Paris", "Bonn", "Moscow", "Washington", "Tokyo"};
  private static final String[] ORGS = {"the United Nations", "NATO", "Reuters", "Microsoft"};

  @TempDir Path dir;

  @Test
  void everyInputIsAnnotatedExactlyOnceAcrossAKilledInstance(EntityTaggerAnnotator annotator)
      throws Exception {
    try (Pipeline p = new Pipeline("eos", 2, dir.resolve("state-1"))) {
      p.set(StrataConfig.MODEL_PATH, TrainedTagger.modelFile().toString())
          .set(StrataConfig.BATCH_MAX_RECORDS, 4)
          // A killed member leaves the group only after its session times out (broker minimum 6 s).
          .set(StrataConfig.STREAMS_PREFIX + "session.timeout.ms", "6000")
          // The killed member's open transaction blocks the changelogs until it times out; keep
          // Kafka Streams' own 10 s (Strata's default is 30 s) so the restart resumes quickly.
          .set(StrataConfig.STREAMS_PREFIX + "producer.transaction.timeout.ms", "10000");
      Set<String> ids = new TreeSet<>();

      Path log = Path.of("target", "it-logs", p.applicationId + "-first.log").toAbsolutePath();
      // The first instance commits once a second, so that most of the time it has written outputs
      // that are not committed yet: killing it then leaves a transaction to abort.
      p.set(StrataConfig.STREAMS_PREFIX + "commit.interval.ms", "1000");
      Process first = startStrataRun(p.writeProperties(dir.resolve("first.properties")), log);
      p.set(StrataConfig.STREAMS_PREFIX + "commit.interval.ms", "100");
      int sent;
      int committedAtKill;
      int inFlightAtKill;
      try (KafkaProducer<byte[], byte[]> producer = p.kafka.producer();
          Kafka.Reader committed = p.kafka.reader(p.output, IsolationLevel.READ_COMMITTED);
          Kafka.Reader uncommitted = p.kafka.reader(p.output, IsolationLevel.READ_UNCOMMITTED)) {
        // One batch first; once the instance has answered it, the rest of the first half follows
        // at a steady pace (PACE). So the instance cannot finish the first half before it is
        // killed however fast the machine is, and it keeps writing outputs between its commits.
        sent = produce(p, producer, 0, FIRST_BATCH, ids);
        long pacedFrom = 0;
        int openPolls = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (first.isAlive() && System.nanoTime() < deadline) {
          int c = committed.poll();
          int u = uncommitted.poll();
          if (u > 0) {
            pacedFrom = pacedFrom == 0 ? System.nanoTime() : pacedFrom;
            long paced = (System.nanoTime() - pacedFrom) / PACE.toNanos();
            sent = produce(p, producer, sent, (int) Math.min(N / 2, FIRST_BATCH + paced), ids);
          }
          // Kill once KILL_AFTER outputs are committed, while a transaction with outputs is open
          // (more written than committed on two polls in a row, so not a lagging reader), so
          // that the restart has to abort it.
          openPolls = c >= KILL_AFTER && u > c ? openPolls + 1 : 0;
          if (openPolls == 2) {
            break;
          }
        }
        assertThat(first.isAlive())
            .as(
                "first instance alive after %d outputs; its log:%n%s",
                committed.records().size(), tail(log))
            .isTrue();
        first.destroyForcibly().waitFor();
        committedAtKill = committed.records().size();
        inFlightAtKill = uncommitted.records().size() - committedAtKill;
      } finally {
        first.destroyForcibly().waitFor();
      }
      assertThat(inFlightAtKill)
          .as(
              "outputs written but not committed when the first instance was killed (%d committed,"
                  + " %d inputs sent): no open transaction was seen within 180 s",
              committedAtKill, sent)
          .isPositive();
      int sentAtKill = sent;
      assertThat(committedAtKill)
          .as("outputs committed when the first instance was killed (must be mid-way)")
          .isBetween(KILL_AFTER, N / 2);
      try (KafkaProducer<byte[], byte[]> producer = p.kafka.producer()) {
        produce(p, producer, sent, N, ids);
      }

      p.set(StrataConfig.STREAMS_PREFIX + "state.dir", dir.resolve("state-2").toString());
      List<ConsumerRecord<byte[], byte[]>> out;
      try (StrataApp second = p.start(annotator)) {
        out =
            p.kafka.readCommitted(
                p.output,
                r -> inputIds(p, r).keySet().containsAll(ids),
                Duration.ofSeconds(240),
                Duration.ofSeconds(3));
      }
      Map<String, Long> counts = inputIds(p, out);
      Map<String, Long> duplicated = new TreeMap<>(counts);
      duplicated.values().removeIf(c -> c == 1);
      assertThat(duplicated).as("input ids output more than once").isEmpty();
      assertThat(counts.keySet()).as("input ids output").isEqualTo(ids);
      assertThat(out).hasSize(N);

      int uncommitted =
          p.kafka
              .read(
                  p.output,
                  IsolationLevel.READ_UNCOMMITTED,
                  r -> r.size() >= N,
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(1))
              .size();
      assertThat(uncommitted)
          .as("records in the output log: the %d committed plus the killed transaction's", N)
          .isGreaterThan(N);
      System.out.printf(
          "[strata-it] exactly-once: %d inputs; first instance killed after %d of them were sent,"
              + " with %d outputs committed and %d written but uncommitted; output log holds %d"
              + " records (aborted ones included), %d committed%n",
          N, sentAtKill, committedAtKill, inFlightAtKill, uncommitted, out.size());
    }
  }

  /**
   * Sends inputs {@code from} (inclusive) to {@code to} (exclusive), records their ids and returns
   * the index of the next input to send ({@code max(from, to)}).
   */
  private static int produce(
      Pipeline p, KafkaProducer<byte[], byte[]> producer, int from, int to, Set<String> ids) {
    for (int i = from; i < to; i++) {
      String id = String.format("r%03d", i);
      ids.add(id);
      String text =
          PEOPLE[i % PEOPLE.length]
              + " met officials of "
              + ORGS[i % ORGS.length]
              + " in "
              + PLACES[(i / 3) % PLACES.length]
              + " on day "
              + i
              + ".";
      producer.send(
          new ProducerRecord<>(p.input, Pipeline.key(id), p.encode(Pipeline.text(id, text))));
    }
    producer.flush();
    return Math.max(from, to);
  }

  private static Map<String, Long> inputIds(
      Pipeline p, List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(r -> p.decode(r.value()).getInputId())
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  /** {@code strata run --config FILE} in a new JVM on this test's class path. */
  private static Process startStrataRun(Path config, Path log) throws IOException {
    Files.createDirectories(log.getParent());
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1500m");
    cmd.add("-Dai.djl.offline=true");
    cmd.add("-Dai.djl.pytorch.num_threads=1");
    cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.strata.app.cli.StrataCommand");
    cmd.add("run");
    cmd.add("--config");
    cmd.add(config.toString());
    cmd.add("--device");
    cmd.add("cpu");
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
