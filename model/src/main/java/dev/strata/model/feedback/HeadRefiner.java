package dev.strata.model.feedback;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.LoadedHeadModel;
import dev.strata.model.head.SaveInfo;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.ner.FeatureCaches;
import dev.strata.model.ner.TaskTraining;
import dev.strata.model.ner.TaskTraining.CachedData;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.train.HeadTrainer;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingListener;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Refines an entity head from feedback: warm-starts from the serving head (its classifier extended
 * when feedback brings new entity types) or starts a new head, trains on the feedback plus a replay
 * of the base data, and gates the candidate on held-out feedback against the serving head.
 *
 * <p>The split into training and held-out feedback is {@link FeedbackSplit}'s, the gate {@link
 * AcceptanceGate}'s and the warm start {@link WarmStart}'s. Encoder states are computed here (on
 * the calling thread; run it on a worker with {@link #refineAsync}); the base sample's states stay
 * cached under {@link RefineSettings#cacheDir()} for the next refinement.
 *
 * <p>Only token (entity) heads are refined; class-label feedback, and a serving head that also
 * classifies texts, yield {@link RefineDecision#FAILED} with a message saying so.
 */
public final class HeadRefiner {
  /** Batches per length-sorted window (see {@link HeadTrainer.Builder#optLengthBuckets}). */
  static final int LENGTH_BUCKETS = 50;

  /** Runs {@link #refine} on {@code executor}; the future never completes exceptionally. */
  public CompletableFuture<RefineOutcome> refineAsync(RefineRequest request, Executor executor) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(executor, "executor");
    return CompletableFuture.supplyAsync(() -> refine(request), executor);
  }

  /**
   * Refines on the calling thread. Never throws for a bad head or engine error: see the outcome.
   */
  public RefineOutcome refine(RefineRequest r) {
    Objects.requireNonNull(r, "request");
    long t0 = System.nanoTime();
    RefineSettings s = r.settings();
    int n = r.feedback().size();
    for (FeedbackExample e : r.feedback()) {
      if (!e.tagging()) {
        return simple(
            r,
            RefineDecision.FAILED,
            t0,
            "example '"
                + e.id()
                + "' is class-label feedback; refining classification heads is"
                + " not supported yet: send tokens+tags or spans");
      }
    }
    if (r.serving() != null && r.serving().tokenLabels().isEmpty()) {
      return simple(
          r,
          RefineDecision.FAILED,
          t0,
          "the serving head has no token classifier; only entity heads can be refined");
    }
    if (r.serving() != null && !r.serving().sequenceLabels().isEmpty()) {
      return simple(
          r,
          RefineDecision.FAILED,
          t0,
          "the serving head also classifies texts (classes "
              + r.serving().sequenceLabels()
              + "); entity feedback carries no class labels, and training the fusion layer that"
              + " both classifiers read on entities alone would change the classes unchecked:"
              + " serve entities and classes from two heads (train --task ner, --task classify)");
    }
    if (n < s.minExamples()) {
      return simple(
          r,
          RefineDecision.REJECTED_TOO_FEW_EXAMPLES,
          t0,
          n
              + " feedback examples, need at least "
              + s.minExamples()
              + " (settings minExamples); waiting for more");
    }
    Path tmp = s.cacheDir().resolve("refine-tmp").resolve(UUID.randomUUID().toString());
    try {
      return train(r, t0, tmp);
    } catch (RuntimeException e) {
      return simple(r, RefineDecision.FAILED, t0, "refinement failed: " + e);
    } finally {
      deleteTree(tmp);
    }
  }

  private RefineOutcome train(RefineRequest r, long t0, Path tmp) {
    RefineSettings s = r.settings();
    LoadedBackbone backbone = r.backbone();
    FeedbackSplit split = FeedbackSplit.of(r.feedback(), r.baseSample(), s);
    List<Sentence> base = split.replay();
    TreeSet<String> types = new TreeSet<>();
    if (r.serving() != null) {
      r.serving().checkCompatible(backbone);
      types.addAll(LabelSet.of(r.serving().tokenLabels()).types());
    }
    r.feedback().forEach(e -> types.addAll(e.entityTypes()));
    types.addAll(LabelSet.fromSentences(base).types());
    LabelSet labels = LabelSet.ofTypes(types);
    log(
        r,
        "refining head %s: labels %s; %d train + %d holdout feedback, %d base sentences",
        r.head(),
        labels.labels(),
        split.train().size(),
        split.holdout().size(),
        base.size());

    List<FeatureCache> caches = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(backbone.encoder().device(), "PyTorch")) {
      long e0 = System.nanoTime();
      CachedData train =
          cached(backbone, FeedbackSplit.sentences(split.train()), tmp, r.log(), caches);
      CachedData holdout =
          cached(backbone, FeedbackSplit.sentences(split.holdout()), tmp, r.log(), caches);
      CachedData replay =
          base.isEmpty() ? null : cached(backbone, base, s.cacheDir(), r.log(), caches);
      long encodeMillis = (System.nanoTime() - e0) / 1_000_000;

      HeadConfig headConfig =
          r.serving() == null ? HeadConfig.of(s.newHeadType()) : r.serving().header().head();
      FusionModel candidate =
          FusionModel.builder()
              .setHeadConfig(headConfig)
              .setBackbone(BackboneShape.of(backbone.encoder().config()))
              .optTokenClasses(labels.size())
              .build();
      candidate.initialize(manager, s.seed());
      double servingF1 = Double.NaN;
      if (r.serving() != null) {
        LoadedHeadModel serving =
            HeadModelFile.read(
                r.serving().bytes(),
                "serving head " + r.head(),
                EntityTagger.ref(backbone),
                manager);
        LabelSet servingLabels = LabelSet.of(r.serving().tokenLabels());
        servingF1 = TaskTraining.score(serving.model(), servingLabels, holdout).f1();
        WarmStart.copy(candidate, labels, serving.model(), servingLabels);
      }

      long tr0 = System.nanoTime();
      TrainingConfig config =
          TrainingConfig.builder()
              .optEpochs(s.epochs())
              .optLearningRate(s.learningRate())
              .optBatchSize(s.batchSize())
              .optSeed(s.seed())
              .optPatience(0)
              .optEvalEvery(1_000_000)
              .build();
      // the candidate has no sequence classifier (refused above), so nothing reads [CLS]
      boolean wordStarts = TaskTraining.trainsOnWordStarts(headConfig.type());
      List<CachedData> parts = new ArrayList<>();
      parts.add(train);
      if (replay != null) {
        parts.add(replay);
      }
      HeadTrainer.builder()
          .setConfig(config)
          .optLengthBuckets(LENGTH_BUCKETS)
          .optListener(
              r.log() == null ? TrainingListener.none() : TrainingListener.printingTo(r.log()))
          .build()
          .fit(candidate, new MixedTaggingSource(parts, labels, wordStarts));
      double candidateF1 = TaskTraining.score(candidate, labels, holdout).f1();
      long trainMillis = (System.nanoTime() - tr0) / 1_000_000;

      AcceptanceGate.Verdict verdict =
          AcceptanceGate.judge(r.serving() != null, candidateF1, servingF1, s.margin());
      HeadArtifact artifact = null;
      if (verdict.accept()) {
        Map<String, String> meta = metadata(r, split, candidateF1);
        byte[] bytes =
            HeadModelFile.toBytes(
                candidate,
                new SaveInfo(
                    EntityTagger.ref(backbone), labels.labels(), List.of(), config.asMap(), meta));
        artifact = HeadArtifact.parse(bytes);
      }
      RefineOutcome out =
          new RefineOutcome(
              r.head(),
              verdict.accept() ? RefineDecision.ACCEPTED : RefineDecision.REJECTED_WORSE,
              artifact,
              candidateF1,
              servingF1,
              r.feedback().size(),
              split.train().size(),
              split.holdout().size(),
              base.size(),
              labels.labels(),
              encodeMillis,
              trainMillis,
              (System.nanoTime() - t0) / 1_000_000,
              verdict.message());
      log(r, "%s", out.summary());
      return out;
    } finally {
      caches.forEach(FeatureCache::close);
    }
  }

  /** Facts saved with an accepted head: where it came from and what it was trained on. */
  private static Map<String, String> metadata(
      RefineRequest r, FeedbackSplit split, double candidateF1) {
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put("head", r.head());
    meta.put("feedbackExamples", Integer.toString(r.feedback().size()));
    meta.put("trainExamples", Integer.toString(split.train().size()));
    meta.put("holdoutExamples", Integer.toString(split.holdout().size()));
    meta.put("baseExamples", Integer.toString(split.replay().size()));
    meta.put("holdoutF1", String.format(Locale.ROOT, "%.4f", candidateF1));
    if (r.serving() != null) {
      meta.put("refinedFrom", r.serving().sha256());
    }
    meta.put("trainedAt", java.time.Instant.now().toString());
    return meta;
  }

  private static CachedData cached(
      LoadedBackbone backbone,
      List<Sentence> sentences,
      Path dir,
      PrintStream log,
      List<FeatureCache> open) {
    FeatureCache c = FeatureCaches.open(backbone, sentences, dir, log);
    open.add(c);
    return new CachedData(c, sentences);
  }

  private static RefineOutcome simple(RefineRequest r, RefineDecision d, long t0, String message) {
    RefineOutcome out =
        new RefineOutcome(
            r.head(),
            d,
            null,
            Double.NaN,
            Double.NaN,
            r.feedback().size(),
            0,
            0,
            0,
            List.of(),
            0,
            0,
            (System.nanoTime() - t0) / 1_000_000,
            message);
    log(r, "%s", out.summary());
    return out;
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: a leftover folder only costs disk space; say where it is
      System.err.println(
          "warning: cannot delete temporary encoder states " + dir + " (" + e + "); remove it");
    }
  }

  private static void log(RefineRequest r, String fmt, Object... args) {
    if (r.log() != null) {
      r.log().printf(fmt + "%n", args);
    }
  }
}
