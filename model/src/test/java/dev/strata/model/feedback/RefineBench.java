package dev.strata.model.feedback;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.bench.Stats;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServingModel;
import dev.strata.model.train.HeadTrainer;
import dev.strata.model.train.TrainingConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refinement and swap timings on a real backbone, and the refiner's training loop on padded against
 * word-start batches; prints numbers, asserts nothing about time. Not part of the test suite (the
 * name does not end in Test). Run with {@code mvn -o -pl model test -Dtest=RefineBench
 * -Dsurefire.failIfNoSpecifiedTests=false} and optionally {@code
 * -Dstrata.bench.backbone=bert-base-cased -Dstrata.bench.feedback=200 -Dstrata.bench.base=200
 * -Dstrata.bench.epochs=10 -Dstrata.bench.warm=true}. Surefire runs tests with one intra-op thread;
 * add {@code "-Dstrata.test.argLine=-Xmx3g -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2"}
 * for two.
 *
 * <p>Measures: (1) a new head refined from N CoNLL-03 train sentences sent as feedback, encoder
 * states included (a fresh cache folder, so every state is computed); (2) a warm-started refinement
 * of that head with the same feedback plus a base replay (first run encodes the base sample, the
 * second reuses its cached states); (3) building a serving snapshot with one swapped head from its
 * bytes, next to the time of one 32-text annotation batch (the serving stall budget).
 */
class RefineBench {
  @TempDir Path work;

  @Test
  void refineAndSwap() throws Exception {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    int n = Integer.getInteger("strata.bench.feedback", 200);
    int baseN = Integer.getInteger("strata.bench.base", 200);
    int epochs = Integer.getInteger("strata.bench.epochs", 10);
    Path conll = SharedData.require("conll2003");
    List<Sentence> train = ConllReader.create().read(conll.resolve("train.txt"));
    List<FeedbackExample> feedback = new ArrayList<>();
    for (int i = 0; feedback.size() < n; i++) {
      Sentence s = train.get(i);
      feedback.add(
          FeedbackExamples.fromTokens(
              "conll-" + i, "conll", String.join(" ", s.words()), s.words(), s.tags()));
    }
    List<Sentence> base = train.subList(n, n + baseN);
    System.out.printf(
        "%n== RefineBench: %s, %d feedback sentences (%d words), base replay %d, %d epochs ==%n",
        name, n, feedback.stream().mapToInt(e -> e.tokens().size()).sum(), baseN, epochs);
    System.out.println(load("start"));
    long t0 = System.nanoTime();
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu")) {
      System.out.printf("backbone load: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
      HeadRefiner refiner = new HeadRefiner();
      RefineSettings.Builder settings =
          RefineSettings.builder().setCacheDir(work).optEpochs(epochs).optSeed(1);

      long c0 = cpu();
      RefineOutcome fresh =
          refiner.refine(
              RefineRequest.builder()
                  .setBackbone(bb)
                  .setHead("conll")
                  .setFeedback(feedback)
                  .setSettings(settings.build())
                  .build());
      print("new head from feedback", fresh, cpu() - c0);
      System.out.println(load("after new head"));
      if (fresh.candidate() == null) {
        return;
      }
      RefineSettings warm = settings.optMaxBaseReplay(baseN).build();
      boolean warmRuns = Boolean.parseBoolean(System.getProperty("strata.bench.warm", "true"));
      for (String run :
          warmRuns
              ? List.of("warm start + base replay (base encoded)", "same, base cached")
              : List.<String>of()) {
        long c1 = cpu();
        RefineOutcome o =
            refiner.refine(
                RefineRequest.builder()
                    .setBackbone(bb)
                    .setHead("conll")
                    .optServing(fresh.candidate())
                    .setFeedback(feedback)
                    .optBaseSample(base)
                    .setSettings(warm)
                    .build());
        print(run, o, cpu() - c1);
      }
      System.out.println(load("after warm starts"));

      HeadArtifact head = fresh.candidate();
      List<String> batch = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        batch.add(String.join(" ", train.get(1000 + i).words()));
      }
      ServingModel current = ServingModel.empty(bb).withHead("conll", "1", head);
      current.annotate(batch); // warm up
      int reps = 5;
      long[] swap = new long[reps];
      long[] annotate = new long[reps];
      for (int r = 0; r < reps; r++) {
        long a0 = System.nanoTime();
        current.annotate(batch);
        annotate[r] = System.nanoTime() - a0;
        long s0 = System.nanoTime();
        ServingModel next =
            current.withHead("conll", Integer.toString(r + 2), HeadArtifact.parse(head.bytes()));
        swap[r] = System.nanoTime() - s0;
        current.retireReplaced(next);
        current = next;
      }
      current.close();
      System.out.printf(
          Locale.ROOT,
          "snapshot with one swapped head (%d KB, parse + load from bytes): median %.1f ms"
              + " (min %.1f, max %.1f) over %d runs%n",
          head.size() / 1024,
          median(swap),
          Arrays.stream(swap).min().getAsLong() / 1e6,
          Arrays.stream(swap).max().getAsLong() / 1e6,
          reps);
      System.out.printf(
          Locale.ROOT,
          "one 32-text annotation batch: median %.1f ms (min %.1f, max %.1f)%n",
          median(annotate),
          Arrays.stream(annotate).min().getAsLong() / 1e6,
          Arrays.stream(annotate).max().getAsLong() / 1e6);
      System.out.println(load("end"));
    }
  }

  /**
   * The refiner's training loop alone (its settings, length buckets and feedback + replay mix, a
   * {@code dwatt} head) on padded batches against word-start batches, alternating per repetition;
   * {@code -Dstrata.bench.reps=3}. Encoder states come from the default cache folder.
   */
  @Test
  void trainingOnWordStartsAgainstPadded() throws Exception {
    String name = System.getProperty("strata.bench.backbone", "bert-base-cased");
    int n = Integer.getInteger("strata.bench.feedback", 160);
    int baseN = Integer.getInteger("strata.bench.base", 200);
    int reps = Integer.getInteger("strata.bench.reps", 3);
    List<Sentence> train =
        ConllReader.create().read(SharedData.require("conll2003").resolve("train.txt"));
    RefineSettings s =
        RefineSettings.builder()
            .setCacheDir(dev.strata.model.backbone.CheckpointLoader.defaultCacheDir())
            .build();
    TrainingConfig config =
        TrainingConfig.builder()
            .optEpochs(s.epochs())
            .optLearningRate(s.learningRate())
            .optBatchSize(s.batchSize())
            .optSeed(1)
            .build();
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu")) {
      TaskTraining.Options o =
          new TaskTraining.Options(HeadConfig.of(HeadType.LAST), config, s.cacheDir(), null);
      List<TaskTraining.CachedData> parts =
          List.of(
              TaskTraining.CachedData.of(bb, "feedback", train.subList(0, n), o),
              TaskTraining.CachedData.of(bb, "base", train.subList(n, n + baseN), o));
      List<Sentence> all = train.subList(0, n + baseN);
      LabelSet labels = LabelSet.fromSentences(all);
      try {
        double[] padded = new double[reps + 1];
        double[] starts = new double[reps + 1];
        double[] ratio = new double[reps];
        for (int r = 0; r <= reps; r++) { // r = 0 warms up
          boolean startsFirst = r % 2 == 1;
          double a = seconds(bb, config, parts, labels, startsFirst);
          double b = seconds(bb, config, parts, labels, !startsFirst);
          starts[r] = startsFirst ? a : b;
          padded[r] = startsFirst ? b : a;
          if (r > 0) {
            ratio[r - 1] = padded[r] / starts[r];
          }
        }
        System.out.printf(
            Locale.ROOT,
            "%n== RefineBench training loop: %s, dwatt, %d feedback + %d base sentences, %d epochs,"
                + " batch %d, %d reps ==%npadded      s/training %s%nword starts s/training"
                + " %s%nspeed-up %s%n",
            name,
            n,
            baseN,
            config.epochs(),
            config.batchSize(),
            reps,
            Stats.of(Arrays.copyOfRange(padded, 1, reps + 1)).format("%.1f"),
            Stats.of(Arrays.copyOfRange(starts, 1, reps + 1)).format("%.1f"),
            Stats.of(ratio).format("%.2f"));
      } finally {
        parts.forEach(p -> p.cache().close());
      }
    }
  }

  private static double seconds(
      LoadedBackbone bb,
      TrainingConfig config,
      List<TaskTraining.CachedData> parts,
      LabelSet labels,
      boolean wordStarts) {
    FusionModel model =
        FusionModel.builder()
            .setHeadConfig(HeadConfig.of(HeadType.DWATT))
            .setBackbone(BackboneShape.of(bb.encoder().config()))
            .optTokenClasses(labels.size())
            .build();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      model.initialize(m, 1);
      long t0 = System.nanoTime();
      HeadTrainer.builder()
          .setConfig(config)
          .optLengthBuckets(HeadRefiner.LENGTH_BUCKETS)
          .build()
          .fit(model, new MixedTaggingSource(parts, labels, wordStarts));
      return (System.nanoTime() - t0) / 1e9;
    }
  }

  private static void print(String what, RefineOutcome o, long cpuNanos) {
    System.out.printf(
        Locale.ROOT,
        "%-42s total %6.1f s = encode %5.1f s + train/score %5.1f s (+ rest); process CPU %.1f s"
            + " (= %.1f s on %d idle cores); %s%n",
        what,
        o.elapsedMillis() / 1e3,
        o.encodeMillis() / 1e3,
        o.trainMillis() / 1e3,
        cpuNanos / 1e9,
        cpuNanos / 1e9 / Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().availableProcessors(),
        o.summary());
  }

  /** CPU time of this process (all threads, native ones included), or 0 when unknown. */
  private static long cpu() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  private static double median(long[] nanos) {
    long[] c = nanos.clone();
    Arrays.sort(c);
    return c[c.length / 2] / 1e6;
  }

  private static String load(String when) {
    String avg;
    try {
      avg = Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception | Error e) {
      avg = "n/a";
    }
    return "load average ("
        + when
        + ", "
        + Runtime.getRuntime().availableProcessors()
        + " cores): "
        + avg;
  }
}
