package dev.strata.app.model;

import dev.strata.app.feedback.HeadRecords;
import dev.strata.app.feedback.HeadSwapper;
import dev.strata.app.feedback.HeadsTopic;
import dev.strata.app.feedback.SwapOutcome;
import dev.strata.app.feedback.SwappableAnnotator;
import dev.strata.app.stream.Annotator;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServingModel;
import dev.strata.model.train.TrainingConfig;
import dev.strata.schemas.avro.HeadRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Benchmark (not a test): the serving stall of a head swap. One thread annotates micro-batches back
 * to back through a {@link SwappableAnnotator} (as a stream thread does); the main thread offers
 * new head versions to a {@link HeadSwapper} (as the heads watcher does). Prints batch latencies
 * without a swap, while a head loads, the time of each offer (verify + load + swap), and how many
 * batches ran on the old snapshot after the swap was made (at most the one in flight).
 *
 * <p>Run from the project root after {@code mvn -o -pl stream-app -am test-compile}:
 *
 * <pre>
 * java -cp stream-app/target/test-classes:stream-app/target/classes:$(cat cp.txt) \
 *   dev.strata.app.model.SwapStallBenchmark [backbone] [batch size] [swaps] [seconds between]
 * </pre>
 *
 * with {@code cp.txt} from {@code mvn -o -q -pl stream-app dependency:build-classpath
 * -Dmdep.outputFile=cp.txt}. CoNLL-03 comes from {@code -Dstrata.data.dir} or {@code
 * ../shared/data}.
 */
public final class SwapStallBenchmark {
  private SwapStallBenchmark() {}

  public static void main(String[] args) throws Exception {
    String backboneName = args.length > 0 ? args[0] : "all-MiniLM-L6-v2";
    int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 32;
    int swaps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    long gapMs = 1000L * (args.length > 3 ? Integer.parseInt(args[3]) : 8);
    Path data = Path.of(System.getProperty("strata.data.dir", "../shared/data"), "conll2003");
    List<Sentence> train = ConllReader.create().read(data.resolve("train.txt")).subList(0, 64);
    List<Sentence> test = ConllReader.create().read(data.resolve("test.txt"));
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < batchSize; i++) {
      texts.add(String.join(" ", test.get(i % test.size()).words()));
    }
    try (LoadedBackbone bb = LoadedBackbone.open(backboneName, "cpu")) {
      Path cache = Files.createTempDirectory("swap-bench");
      HeadArtifact a = train(bb, train, 1, cache);
      HeadArtifact b = train(bb, train, 2, cache);
      SwappableAnnotator annotator =
          new SwappableAnnotator(
              new ServingModelSnapshot(ServingModel.empty(bb).withHead("base", "a", a)));
      HeadSwapper swapper = new HeadSwapper(annotator);

      List<long[]> batches = new java.util.concurrent.CopyOnWriteArrayList<>(); // start, end, snap
      AtomicBoolean stop = new AtomicBoolean();
      Thread stream =
          new Thread(
              () -> {
                while (!stop.get()) {
                  long t0 = System.nanoTime();
                  try (Annotator.Lease l = annotator.lease()) {
                    l.model().annotateWithHeads(texts);
                    batches.add(
                        new long[] {t0, System.nanoTime(), System.identityHashCode(l.model())});
                  }
                }
              });
      stream.start();
      Thread.sleep(Math.max(15_000, 2 * gapMs)); // warm-up and baseline
      List<long[]> offers = new ArrayList<>(); // start, end, new snapshot id
      for (int v = 1; v <= swaps; v++) {
        byte[] bytes = (v % 2 == 1 ? b : a).bytes();
        HeadRecord r =
            HeadRecords.builder("base", v, backboneIdOf(bb), Instant.now(), bytes).build();
        long t0 = System.nanoTime();
        SwapOutcome o = swapper.offer(HeadsTopic.parse("base"), r);
        long t1 = System.nanoTime();
        if (o != SwapOutcome.SWAPPED) {
          throw new IllegalStateException("swap " + v + ": " + o);
        }
        offers.add(new long[] {t0, t1, System.identityHashCode(annotator.current())});
        Thread.sleep(gapMs);
      }
      stop.set(true);
      stream.join();
      report(backboneName, batchSize, batches, offers, a.size());
      ((ServingModelSnapshot) annotator.current()).model().close();
    }
  }

  private static String backboneIdOf(LoadedBackbone bb) {
    return dev.strata.model.ner.EntityTagger.ref(bb).id();
  }

  private static HeadArtifact train(LoadedBackbone bb, List<Sentence> train, int seed, Path cache)
      throws Exception {
    TaskTraining.Options o =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.DWATT),
            TrainingConfig.builder().optBatchSize(16).optEpochs(2).optSeed(seed).build(),
            cache,
            null);
    try (TrainedModel m = TaskTraining.trainTagger(bb, train, null, o)) {
      Path file = Files.createTempFile(cache, "head", ".strata");
      m.save(file);
      return HeadArtifact.parse(Files.readAllBytes(file));
    }
  }

  private static void report(
      String backbone, int batchSize, List<long[]> batches, List<long[]> offers, int headBytes) {
    List<Double> quiet = new ArrayList<>();
    List<Double> loading = new ArrayList<>();
    int lateBatches = 0;
    int maxLate = 0;
    for (int k = 0; k < offers.size(); k++) {
      long[] o = offers.get(k);
      int late = 0;
      for (long[] bt : batches) {
        if (bt[1] > o[1]
            && bt[0] > o[1]
            && bt[2] != o[2]
            && (k + 1 >= offers.size() || bt[0] < offers.get(k + 1)[0])) {
          late++; // a batch that started after the swap but still ran on an old snapshot
        }
      }
      lateBatches += late;
      maxLate = Math.max(maxLate, late);
    }
    for (int i = 2; i < batches.size(); i++) { // the first two warm up
      long[] bt = batches.get(i);
      double ms = (bt[1] - bt[0]) / 1e6;
      boolean overlaps = false;
      for (long[] o : offers) {
        overlaps |= bt[0] < o[1] && bt[1] > o[0];
      }
      (overlaps ? loading : quiet).add(ms);
    }
    double[] offerMs = offers.stream().mapToDouble(o -> (o[1] - o[0]) / 1e6).toArray();
    System.out.printf(
        "swap-stall benchmark: backbone %s, batch %d texts, head file %.1f MB, %d swaps%n",
        backbone, batchSize, headBytes / 1e6, offers.size());
    System.out.printf(
        "batch latency without a swap: %s%n", stats(quiet.stream().mapToDouble(d -> d).toArray()));
    System.out.printf(
        "batch latency overlapping a head load: %s%n",
        stats(loading.stream().mapToDouble(d -> d).toArray()));
    System.out.printf("offer (verify + load + swap) per swap: %s%n", stats(offerMs));
    System.out.printf(
        "batches started after a swap that still used the old snapshot: %d in total (max %d per"
            + " swap)%n",
        lateBatches, maxLate);
  }

  private static String stats(double[] v) {
    if (v.length == 0) {
      return "n=0";
    }
    double[] s = v.clone();
    Arrays.sort(s);
    return String.format(
        "n=%d median %.1f ms, p90 %.1f ms, max %.1f ms",
        s.length,
        s[s.length / 2],
        s[(int) Math.min(s.length - 1, Math.floor(s.length * 0.9))],
        s[s.length - 1]);
  }
}
