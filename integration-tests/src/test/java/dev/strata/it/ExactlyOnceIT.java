package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * written outputs it has not committed (it is frozen with SIGSTOP first, and both views of the
 * output topic are read to check that); the rest is sent, and a second instance with the same
 * application id finishes the work. Read with {@code isolation.level=read_committed}, every input
 * id appears exactly once on the output topic, and the log also holds the aborted outputs. Needs a
 * POSIX {@code kill} command.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class ExactlyOnceIT {
  private static final int N = 200;
  private static final int KILL_AFTER = 40;

  /** Inputs sent before the first instance has answered anything. */
  private static final int FIRST_BATCH = 4;

  /** The pace of the rest of the first half once the first instance answers: one per PACE. */
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

      Path log = ChildLogs.file(p.applicationId + "-first");
      // The first instance commits once a second, so that most of the time it has written outputs
      // that are not committed yet: killing it then leaves a transaction to abort (the
      // coordinator aborts it when its timeout passes; the second instance is a new producer).
      p.set(StrataConfig.STREAMS_PREFIX + "commit.interval.ms", "1000");
      Process first = startStrataRun(p.writeProperties(dir.resolve("first.properties")), log);
      p.set(StrataConfig.STREAMS_PREFIX + "commit.interval.ms", "100");
      int sent;
      int committedAtKill;
      int inFlightAtKill;
      boolean stoppedInTransaction = false;
      int stops = 0;
      try (KafkaProducer<byte[], byte[]> producer = p.kafka.producer();
          Kafka.Reader committed = p.kafka.reader(p.output, IsolationLevel.READ_COMMITTED);
          Kafka.Reader uncommitted = p.kafka.reader(p.output, IsolationLevel.READ_UNCOMMITTED)) {
        // A few inputs first; once the instance has answered, the rest of the first half follows
        // at a steady pace (on average one per PACE, sent in small bursts). So the instance keeps
        // writing outputs between its commits instead of finishing the first half at once.
        sent = produce(p, producer, 0, FIRST_BATCH, ids);
        long pacedFrom = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (first.isAlive() && System.nanoTime() < deadline) {
          int c = committed.poll();
          int u = uncommitted.poll();
          if (c >= KILL_AFTER && u > c) {
            // It looks as if a transaction with outputs is open. Freeze the instance (it can
            // neither write nor commit now), read both views to their end, and kill it if outputs
            // are still uncommitted; the transaction coordinator then aborts them when the
            // transaction times out. Otherwise (a commit raced the readers) let it go on.
            signal(first, "STOP");
            stops++;
            drain(committed, uncommitted);
            if (uncommitted.records().size() > committed.records().size()) {
              stoppedInTransaction = true;
              break;
            }
            signal(first, "CONT");
          }
          if (u > 0) {
            pacedFrom = pacedFrom == 0 ? System.nanoTime() : pacedFrom;
            long paced = (System.nanoTime() - pacedFrom) / PACE.toNanos();
            sent = produce(p, producer, sent, (int) Math.min(N / 2, FIRST_BATCH + paced), ids);
          }
        }
        first.destroyForcibly().waitFor();
        committedAtKill = committed.records().size();
        inFlightAtKill = uncommitted.records().size() - committedAtKill;
        produce(p, producer, sent, N, ids); // the rest, for the second instance
      } finally {
        first.destroyForcibly().waitFor();
      }
      assertThat(stoppedInTransaction)
          .as(
              "first instance stopped in an open transaction within 180 s, after at least %d"
                  + " committed outputs (at the kill: %d inputs sent, %d outputs committed, %d"
                  + " uncommitted); its log:%n%s",
              KILL_AFTER,
              sent,
              committedAtKill,
              inFlightAtKill,
              stoppedInTransaction ? "" : ChildLogs.tail(log))
          .isTrue();
      assertThat(committedAtKill)
          .as("outputs committed when the first instance was killed (must be mid-way)")
          .isBetween(KILL_AFTER, N / 2);

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
          .as(
              "records in the output log: the %d committed plus the %d aborted at the kill",
              N, inFlightAtKill)
          .isGreaterThanOrEqualTo(N + inFlightAtKill);
      System.out.printf(
          "[strata-it] exactly-once: %d inputs; first instance killed after %d of them were sent,"
              + " with %d outputs committed and %d written but uncommitted (stopped %d time(s) to"
              + " check); output log holds %d records (aborted ones included), %d committed%n",
          N, sent, committedAtKill, inFlightAtKill, stops, uncommitted, out.size());
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

  /** Polls both readers until neither reads anything new on three polls in a row (3 s at most). */
  private static void drain(Kafka.Reader a, Kafka.Reader b) {
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int quiet = 0;
    int seen = -1;
    while (quiet < 3 && System.nanoTime() < deadline) {
      int now = a.poll() + b.poll();
      quiet = now == seen ? quiet + 1 : 0;
      seen = now;
    }
  }

  /** Sends {@code SIGSTOP} or {@code SIGCONT} to {@code process} with the POSIX {@code kill}. */
  private static void signal(Process process, String name)
      throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    int rc = kill.waitFor();
    if (rc != 0) {
      throw new IllegalStateException(
          "kill -"
              + name
              + " "
              + process.pid()
              + " exited with "
              + rc
              + ": "
              + new String(kill.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static Map<String, Long> inputIds(
      Pipeline p, List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(r -> p.decode(r.value()).getInputId())
        .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  /** {@code strata run --config FILE} in a new JVM on this test's class path. */
  private static Process startStrataRun(Path config, Path log) throws IOException {
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
}
