package dev.strata.model.fewshot;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FewShotSampler;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.eval.EntityScores;
import dev.strata.model.eval.TypeCounts;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TrainedModel;
import dev.strata.model.train.DevPoint;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The few-shot protocol: for every size k and seed, one seeded sample of k training sentences (the
 * same sample for every head), each head trained on it with early stopping on dev, then scored on
 * test. Every finished run is appended to {@code runs.jsonl}; a resumed sweep skips runs already
 * there. Encoder states of train, dev and test are computed once and shared by all runs.
 */
public final class FewShotSweep {

  /**
   * @param heads heads to compare
   * @param sizes sample sizes; {@link FewShotSampler#FULL} for the whole training set
   * @param seeds sample and initialisation seeds
   * @param base training settings (learning rate, batch, epochs, patience); epochs are raised for
   *     small k so that every run gets at least {@code minSteps} steps
   * @param minSteps least optimiser steps of a run
   * @param evalsPerRun dev evaluations per run (sets evalEvery)
   * @param trainPool use only the first N training sentences (0 = all); smoke runs
   * @param devLimit evaluate on the first N dev sentences (0 = all)
   * @param testLimit score on the first N test sentences (0 = all)
   */
  public record Spec(
      List<SweepHead> heads,
      List<Integer> sizes,
      List<Integer> seeds,
      TrainingConfig base,
      int minSteps,
      int evalsPerRun,
      int trainPool,
      int devLimit,
      int testLimit) {
    public Spec {
      heads = List.copyOf(heads);
      sizes = List.copyOf(sizes);
      seeds = List.copyOf(seeds);
      Objects.requireNonNull(base, "base");
      if (heads.isEmpty() || sizes.isEmpty() || seeds.isEmpty()) {
        throw new IllegalArgumentException("heads, sizes and seeds must not be empty");
      }
      if (minSteps < 1 || evalsPerRun < 1) {
        throw new IllegalArgumentException("minSteps and evalsPerRun must be >= 1");
      }
    }
  }

  private FewShotSweep() {}

  /** Runs every missing (head, k, seed) and rewrites the report in {@code outDir}. */
  public static void run(
      LoadedBackbone backbone,
      DataSets.Splits data,
      Spec spec,
      Path outDir,
      Path cacheDir,
      PrintStream log)
      throws IOException {
    Files.createDirectories(outDir);
    RunLog runs = RunLog.open(outDir.resolve(RunLog.FILE_NAME));
    List<Sentence> pool = limit(data.train(), spec.trainPool());
    List<Sentence> dev = limit(data.dev(), spec.devLimit());
    List<Sentence> test = limit(data.test(), spec.testLimit());
    List<Sentence> everything = new ArrayList<>(pool);
    everything.addAll(dev);
    everything.addAll(test);
    LabelSet labels = LabelSet.fromSentences(everything);
    String name = backbone.spec().name();
    TaskTraining.Options encodeOnly =
        new TaskTraining.Options(HeadConfig.of(HeadType.LAST), spec.base(), cacheDir, log);
    TaskTraining.CachedData trainData =
        TaskTraining.CachedData.of(backbone, "training", pool, encodeOnly);
    TaskTraining.CachedData devData = TaskTraining.CachedData.of(backbone, "dev", dev, encodeOnly);
    TaskTraining.CachedData testData =
        TaskTraining.CachedData.of(backbone, "test", test, encodeOnly);
    try {
      for (int k : spec.sizes()) {
        for (int seed : spec.seeds()) {
          int[] sample =
              k == FewShotSampler.FULL
                  ? range(pool.size())
                  : FewShotSampler.sampleIndices(pool, k, seed);
          for (SweepHead head : spec.heads()) {
            if (runs.contains(name, data.name(), head.id(), k, seed)) {
              log.printf(
                  "skip %s k=%s seed=%d: already in runs.jsonl%n", head.id(), kName(k), seed);
              continue;
            }
            FewShotRun run =
                runOne(
                    backbone,
                    data.name(),
                    head,
                    k,
                    seed,
                    sample,
                    trainData,
                    devData,
                    testData,
                    labels,
                    spec,
                    cacheDir,
                    log);
            runs.append(run);
            log.printf(
                "done %s k=%s seed=%d: dev F1 %.2f, test F1 %.2f, %d steps, %.0f s%n",
                head.id(),
                kName(k),
                seed,
                100 * run.devF1(),
                100 * run.testF1(),
                run.steps(),
                run.wallSeconds());
          }
        }
      }
    } finally {
      trainData.cache().close();
      devData.cache().close();
      testData.cache().close();
    }
    FewShotReport.write(outDir);
  }

  private static FewShotRun runOne(
      LoadedBackbone backbone,
      String dataName,
      SweepHead head,
      int k,
      int seed,
      int[] sample,
      TaskTraining.CachedData train,
      TaskTraining.CachedData dev,
      TaskTraining.CachedData test,
      LabelSet labels,
      Spec spec,
      Path cacheDir,
      PrintStream log) {
    long t0 = System.nanoTime();
    TrainingConfig cfg = configFor(spec, sample.length, seed);
    log.printf(
        "run %s k=%s seed=%d: %d sentences, %d steps, eval every %d%n",
        head.id(), kName(k), seed, sample.length, cfg.totalSteps(sample.length), cfg.evalEvery());
    TaskTraining.Options o = new TaskTraining.Options(head.config(), cfg, cacheDir, log);
    try (TrainedModel m = TaskTraining.trainTagger(backbone, train, sample, dev, labels, o)) {
      TrainingResult r = m.result();
      EntityScores scores = TaskTraining.score(m.model(), labels, test);
      Map<String, Double> perType = new LinkedHashMap<>();
      for (Map.Entry<String, TypeCounts> e : scores.perType().entrySet()) {
        perType.put(e.getKey(), e.getValue().f1());
      }
      List<HistoryPoint> history = new ArrayList<>();
      for (DevPoint p : r.history()) {
        history.add(new HistoryPoint(p.step(), p.score()));
      }
      return new FewShotRun(
          backbone.spec().name(),
          dataName,
          head.id(),
          k,
          seed,
          m.model().trainableParameters(),
          r.steps(),
          Math.max(0, r.bestStep()),
          Double.isNaN(r.bestDevScore()) ? 0 : r.bestDevScore(),
          scores.f1(),
          perType,
          (System.nanoTime() - t0) / 1e9,
          history,
          runConfig(cfg, head));
    }
  }

  /** The training settings of a run, and which positions of a batch the head trained on. */
  private static Map<String, Object> runConfig(TrainingConfig cfg, SweepHead head) {
    Map<String, Object> m = new LinkedHashMap<>(cfg.asMap());
    m.put(
        "positions", TaskTraining.trainsOnWordStarts(head.config().type()) ? "word starts" : "all");
    return m;
  }

  /** The base settings with enough epochs for {@code minSteps} and evaluations spread out. */
  static TrainingConfig configFor(Spec spec, int examples, int seed) {
    TrainingConfig b = spec.base();
    int perEpoch = (examples + b.batchSize() - 1) / b.batchSize();
    int epochs = Math.max(b.epochs(), (spec.minSteps() + perEpoch - 1) / perEpoch);
    TrainingConfig.Builder cfg =
        TrainingConfig.builder()
            .optLearningRate(b.learningRate())
            .optWeightDecay(b.weightDecay())
            .optWarmupFraction(b.warmupFraction())
            .optBatchSize(b.batchSize())
            .optEpochs(epochs)
            .optPatience(b.patience())
            .optSeed(seed);
    if (b.maxSteps() > 0) {
      cfg.optMaxSteps(b.maxSteps());
    }
    int total = cfg.build().totalSteps(examples);
    return cfg.optEvalEvery(Math.max(1, total / spec.evalsPerRun())).build();
  }

  static String kName(int k) {
    return k == FewShotSampler.FULL ? "full" : Integer.toString(k);
  }

  private static List<Sentence> limit(List<Sentence> s, int n) {
    return n > 0 && n < s.size() ? s.subList(0, n) : s;
  }

  private static int[] range(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }
}
