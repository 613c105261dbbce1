package dev.strata.model.feedback;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.Sentence;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.ClassifierBlock;
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
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Refines an entity head from feedback: warm-starts from the serving head (its classifier extended
 * when feedback brings new entity types) or starts a new head, trains on the feedback plus a replay
 * of the base data, and gates the candidate on held-out feedback against the serving head.
 *
 * <p>The split is deterministic and independent of the store's order: examples are ranked by a hash
 * of their id and the seed, and the first ones are held out, so an example tends to stay on its
 * side as the store grows. Encoder states are computed here (on the calling thread; run it on a
 * worker with {@link #refineAsync}); the base sample's states stay cached under {@link
 * RefineSettings#cacheDir()} for the next refinement.
 *
 * <p>Only token (entity) heads are refined; class-label feedback yields {@link
 * RefineDecision#FAILED} with a message saying so.
 */
public final class HeadRefiner {
  /** Batches per length-sorted window (see {@link HeadTrainer.Builder#optLengthBuckets}). */
  private static final int LENGTH_BUCKETS = 50;

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
    Split split = split(r.feedback(), s);
    List<Sentence> base = baseSample(r.baseSample(), s);
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
        split.train.size(),
        split.holdout.size(),
        base.size());

    List<FeatureCache> caches = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager(backbone.encoder().device(), "PyTorch")) {
      long e0 = System.nanoTime();
      CachedData train = cached(backbone, sentences(split.train), tmp, r.log(), caches);
      CachedData holdout = cached(backbone, sentences(split.holdout), tmp, r.log(), caches);
      CachedData replay =
          base.isEmpty() ? null : cached(backbone, base, s.cacheDir(), r.log(), caches);
      long encodeMillis = (System.nanoTime() - e0) / 1_000_000;

      HeadConfig headConfig =
          r.serving() == null ? HeadConfig.of(s.newHeadType()) : r.serving().header().head();
      List<String> sequenceLabels = r.serving() == null ? List.of() : r.serving().sequenceLabels();
      FusionModel candidate =
          FusionModel.builder()
              .setHeadConfig(headConfig)
              .setBackbone(BackboneShape.of(backbone.encoder().config()))
              .optTokenClasses(labels.size())
              .optSequenceClasses(sequenceLabels.size())
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
        warmStart(candidate, labels, serving.model(), servingLabels);
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
          .fit(candidate, new MixedTaggingSource(parts, labels));
      double candidateF1 = TaskTraining.score(candidate, labels, holdout).f1();
      long trainMillis = (System.nanoTime() - tr0) / 1_000_000;

      boolean accept = r.serving() == null || candidateF1 >= servingF1 - s.margin();
      HeadArtifact artifact = null;
      String message;
      if (accept) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("head", r.head());
        meta.put("feedbackExamples", Integer.toString(r.feedback().size()));
        meta.put("trainExamples", Integer.toString(split.train.size()));
        meta.put("holdoutExamples", Integer.toString(split.holdout.size()));
        meta.put("baseExamples", Integer.toString(base.size()));
        meta.put("holdoutF1", String.format(Locale.ROOT, "%.4f", candidateF1));
        if (r.serving() != null) {
          meta.put("refinedFrom", r.serving().sha256());
        }
        meta.put("trainedAt", java.time.Instant.now().toString());
        byte[] bytes =
            HeadModelFile.toBytes(
                candidate,
                new SaveInfo(
                    EntityTagger.ref(backbone),
                    labels.labels(),
                    sequenceLabels,
                    config.asMap(),
                    meta));
        artifact = HeadArtifact.parse(bytes);
        message =
            r.serving() == null
                ? "new head"
                : String.format(
                    Locale.ROOT,
                    "candidate F1 %.4f >= serving F1 %.4f - margin %.4f",
                    candidateF1,
                    servingF1,
                    s.margin());
      } else {
        message =
            String.format(
                Locale.ROOT,
                "candidate F1 %.4f < serving F1 %.4f - margin %.4f",
                candidateF1,
                servingF1,
                s.margin());
      }
      RefineOutcome out =
          new RefineOutcome(
              r.head(),
              accept ? RefineDecision.ACCEPTED : RefineDecision.REJECTED_WORSE,
              artifact,
              candidateF1,
              servingF1,
              r.feedback().size(),
              split.train.size(),
              split.holdout.size(),
              base.size(),
              labels.labels(),
              encodeMillis,
              trainMillis,
              (System.nanoTime() - t0) / 1_000_000,
              message);
      log(r, "%s", out.summary());
      return out;
    } finally {
      caches.forEach(FeatureCache::close);
    }
  }

  /**
   * Copies the serving head's weights into {@code candidate}: the fusion head and any sequence
   * classifier as they are, the token classifier row by row by label name (rows of new labels keep
   * their fresh initialisation).
   */
  static void warmStart(
      FusionModel candidate, LabelSet labels, FusionModel serving, LabelSet servingLabels) {
    ClassifierBlock newToken = candidate.tokenClassifier().orElseThrow();
    ClassifierBlock oldToken = serving.tokenClassifier().orElseThrow();
    Set<Parameter> tokenParams = Collections.newSetFromMap(new IdentityHashMap<>());
    newToken.getParameters().values().forEach(tokenParams::add);
    Map<String, Parameter> old = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : serving.getParameters()) {
      old.put(p.getKey(), p.getValue());
    }
    for (Pair<String, Parameter> p : candidate.getParameters()) {
      if (tokenParams.contains(p.getValue())) {
        continue;
      }
      Parameter from = old.get(p.getKey());
      NDArray to = p.getValue().getArray();
      if (from == null || !from.getArray().getShape().equals(to.getShape())) {
        throw new IllegalStateException(
            "serving head parameter "
                + p.getKey()
                + " does not fit the candidate; retrain the"
                + " head from scratch");
      }
      to.set(from.getArray().toFloatArray());
    }
    int[] map = new int[servingLabels.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = labels.encode(servingLabels.decode(i));
    }
    for (Pair<String, Parameter> p : newToken.getParameters()) {
      NDArray to = p.getValue().getArray();
      NDArray fromArray = oldToken.getParameters().get(p.getKey()).getArray();
      float[] src = fromArray.toFloatArray();
      float[] dst = to.toFloatArray();
      int width = (int) (to.getShape().size() / labels.size());
      for (int i = 0; i < map.length; i++) {
        System.arraycopy(src, i * width, dst, map[i] * width, width);
      }
      to.set(dst);
    }
  }

  /** Held-out and training feedback, ranked by a hash of id and seed. */
  record Split(List<FeedbackExample> train, List<FeedbackExample> holdout) {}

  static Split split(List<FeedbackExample> feedback, RefineSettings s) {
    List<FeedbackExample> order = new ArrayList<>(feedback);
    order.sort(
        Comparator.comparingLong((FeedbackExample e) -> rank(e.id(), s.seed()))
            .thenComparing(FeedbackExample::id));
    int n = order.size();
    int k = (int) Math.max(s.minHoldout(), Math.round(s.holdoutFraction() * n));
    k = Math.min(k, n - 1);
    return new Split(List.copyOf(order.subList(k, n)), List.copyOf(order.subList(0, k)));
  }

  private static long rank(String id, int seed) {
    long h = 1125899906842597L + seed;
    for (int i = 0; i < id.length(); i++) {
      h = 31 * h + id.charAt(i);
    }
    return new Random(h).nextLong();
  }

  static List<Sentence> baseSample(List<Sentence> base, RefineSettings s) {
    if (base.isEmpty() || s.maxBaseReplay() == 0) {
      return List.of();
    }
    if (base.size() <= s.maxBaseReplay()) {
      return base;
    }
    List<Sentence> copy = new ArrayList<>(base);
    Collections.shuffle(copy, new Random(s.seed()));
    return List.copyOf(copy.subList(0, s.maxBaseReplay()));
  }

  private static List<Sentence> sentences(List<FeedbackExample> examples) {
    List<Sentence> out = new ArrayList<>(examples.size());
    examples.forEach(e -> out.add(e.sentence()));
    return out;
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
