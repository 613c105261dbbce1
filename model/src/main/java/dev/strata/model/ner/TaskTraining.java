package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.data.LabeledText;
import dev.strata.model.data.Sentence;
import dev.strata.model.eval.EntityScorer;
import dev.strata.model.eval.EntityScores;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.train.DevEvaluator;
import dev.strata.model.train.HeadTrainer;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingListener;
import dev.strata.model.train.TrainingResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Trains a fusion head on a frozen backbone: encoder states of the data are computed once and
 * cached ({@link FeatureCaches}), then only the head learns. With a dev set, training stops early
 * on entity F1 (or accuracy for classification) and keeps the best weights.
 */
public final class TaskTraining {

  /**
   * @param head the head to train
   * @param training optimiser, schedule, batch, epochs, early stopping, seed
   * @param cacheDir where encoder states are cached
   * @param log progress lines, or {@code null} for silence
   */
  public record Options(HeadConfig head, TrainingConfig training, Path cacheDir, PrintStream log) {
    public Options {
      Objects.requireNonNull(head, "head");
      Objects.requireNonNull(training, "training");
      Objects.requireNonNull(cacheDir, "cacheDir");
    }
  }

  private TaskTraining() {}

  /** Trains entity tagging (IOB2, first sub-token of each word labelled). */
  public static TrainedModel trainTagger(
      LoadedBackbone backbone, List<Sentence> train, List<Sentence> dev, Options o) {
    Objects.requireNonNull(backbone, "backbone");
    requireLabeled("training", train);
    if (dev != null) {
      requireLabeled("dev", dev);
    }
    List<Sentence> all = new ArrayList<>(train);
    if (dev != null) {
      all.addAll(dev);
    }
    LabelSet labels = LabelSet.fromSentences(all);
    log(o, "label set: %s", labels.labels());
    FeatureCache trainCache = encode(backbone, "training", train, o);
    FeatureCache devCache = dev == null ? null : encode(backbone, "dev", dev, o);
    try {
      int[] everything = new int[train.size()];
      java.util.Arrays.setAll(everything, i -> i);
      return trainTagger(
          backbone,
          new CachedData(trainCache, train),
          everything,
          devCache == null ? null : new CachedData(devCache, dev),
          labels,
          o);
    } finally {
      trainCache.close();
      if (devCache != null) {
        devCache.close();
      }
    }
  }

  /**
   * Encoder states of labelled sentences, cached.
   *
   * @param cache the states, built from exactly {@code sentences}
   * @param sentences the sentences, with tags
   */
  public record CachedData(FeatureCache cache, List<Sentence> sentences) {
    public CachedData {
      Objects.requireNonNull(cache, "cache");
      Objects.requireNonNull(sentences, "sentences");
      if (cache.size() != sentences.size()) {
        throw new IllegalArgumentException(
            "cache "
                + cache.path()
                + " holds "
                + cache.size()
                + " sentences, not "
                + sentences.size());
      }
    }

    /** Encodes (or reuses) the states of {@code sentences} under the cache dir of {@code o}. */
    public static CachedData of(
        LoadedBackbone backbone, String what, List<Sentence> sentences, Options o) {
      requireLabeled(what, sentences);
      return new CachedData(encode(backbone, what, sentences, o), sentences);
    }
  }

  /**
   * Trains entity tagging on the sentences {@code subset} of an already cached training set (a
   * few-shot sample shares the cache of the full set), with early stopping on {@code dev} when
   * given.
   */
  public static TrainedModel trainTagger(
      LoadedBackbone backbone,
      CachedData train,
      int[] subset,
      CachedData dev,
      LabelSet labels,
      Options o) {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(subset, "subset");
    Objects.requireNonNull(labels, "labels");
    FusionModel model =
        FusionModel.builder()
            .setHeadConfig(o.head())
            .setBackbone(BackboneShape.of(backbone.encoder().config()))
            .optTokenClasses(labels.size())
            .build();
    DevEvaluator evaluator =
        dev == null
            ? null
            : m ->
                EntityScorer.score(
                        tags(dev.sentences()),
                        EntityTagger.predictTags(
                            m, labels, dev.cache(), evalBatch(o), TagDecoding.IOB2_VITERBI))
                    .f1();
    CachedTaskSource source =
        CachedTaskSource.tagging(train.cache(), train.sentences(), labels).subset(subset);
    if (trainsOnWordStarts(o.head().type())) {
      source = source.wordStartsOnly();
    }
    return fit(
        backbone,
        model,
        source,
        evaluator,
        labels.labels(),
        List.of(),
        o,
        subset.length,
        dev == null ? 0 : dev.sentences().size());
  }

  /**
   * Whether tagging heads of {@code type} are trained on word-start batches ({@link
   * FeatureCache#wordStarts}): the labelled positions only, which gives the loss of the padded
   * batch with about a quarter of the positions on CoNLL-03. True for every head that does not
   * {@linkplain HeadType#mixesTokens mix positions}.
   */
  public static boolean trainsOnWordStarts(HeadType type) {
    return !type.mixesTokens();
  }

  /** Entity scores of a model on cached labelled data. */
  public static EntityScores score(FusionModel model, LabelSet labels, CachedData data) {
    return EntityScorer.score(
        tags(data.sentences()),
        EntityTagger.predictTags(model, labels, data.cache(), 64, TagDecoding.IOB2_VITERBI));
  }

  /** Trains text classification (one label per text, read from the [CLS] position). */
  public static TrainedModel trainClassifier(
      LoadedBackbone backbone, List<LabeledText> train, List<LabeledText> dev, Options o) {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(train, "train");
    TreeSet<String> names = new TreeSet<>();
    train.forEach(t -> names.add(t.label()));
    if (dev != null) {
      dev.forEach(t -> names.add(t.label()));
    }
    List<String> classes = List.copyOf(names);
    if (classes.size() < 2) {
      throw new IllegalArgumentException(
          "classification needs at least two labels in the training data, found " + classes);
    }
    log(o, "classes: %s", classes);
    FeatureCache trainCache = encode(backbone, "training", asSentences(train), o);
    FeatureCache devCache = dev == null ? null : encode(backbone, "dev", asSentences(dev), o);
    try {
      FusionModel model =
          FusionModel.builder()
              .setHeadConfig(o.head())
              .setBackbone(BackboneShape.of(backbone.encoder().config()))
              .optSequenceClasses(classes.size())
              .build();
      int[] devGold = dev == null ? null : indices(dev, classes);
      DevEvaluator evaluator =
          devCache == null
              ? null
              : m -> accuracy(devGold, EntityTagger.predictClasses(m, devCache, evalBatch(o)));
      return fit(
          backbone,
          model,
          CachedTaskSource.classification(trainCache, indices(train, classes)),
          evaluator,
          List.of(),
          classes,
          o,
          train.size(),
          dev == null ? 0 : dev.size());
    } finally {
      trainCache.close();
      if (devCache != null) {
        devCache.close();
      }
    }
  }

  /** Entity scores of {@code tagger} on labelled sentences (states cached under the cache dir). */
  public static EntityScores evaluate(
      EntityTagger tagger,
      LoadedBackbone backbone,
      List<Sentence> data,
      Path cacheDir,
      PrintStream log) {
    requireLabeled("evaluation", data);
    try (FeatureCache cache = FeatureCaches.open(backbone, data, cacheDir, log)) {
      return EntityScorer.score(tags(data), tagger.predictTags(cache));
    }
  }

  private static TrainedModel fit(
      LoadedBackbone backbone,
      FusionModel model,
      CachedTaskSource source,
      DevEvaluator evaluator,
      List<String> tokenLabels,
      List<String> sequenceLabels,
      Options o,
      int trainSize,
      int devSize) {
    NDManager manager = NDManager.newBaseManager(backbone.encoder().device(), "PyTorch");
    try {
      model.initialize(manager, o.training().seed());
      log(
          o,
          "head %s: %,d trainable parameters; %d training, %d dev examples; %d steps",
          o.head().type().id(),
          model.trainableParameters(),
          trainSize,
          devSize,
          o.training().totalSteps(trainSize));
      HeadTrainer.Builder b = HeadTrainer.builder().setConfig(o.training());
      if (evaluator != null) {
        b.optEvaluator(evaluator);
      }
      b.optListener(
          o.log() == null ? TrainingListener.none() : TrainingListener.printingTo(o.log()));
      TrainingResult result = b.build().fit(model, source);
      Map<String, String> meta = new LinkedHashMap<>();
      meta.put("trainExamples", Integer.toString(trainSize));
      meta.put("devExamples", Integer.toString(devSize));
      if (!Double.isNaN(result.bestDevScore())) {
        meta.put(
            "bestDevScore", String.format(java.util.Locale.ROOT, "%.4f", result.bestDevScore()));
        meta.put("bestStep", Integer.toString(result.bestStep()));
      }
      meta.put("steps", Integer.toString(result.steps()));
      meta.put("trainedAt", java.time.Instant.now().toString());
      return new TrainedModel(
          backbone, manager, model, tokenLabels, sequenceLabels, o.training(), result, meta);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static FeatureCache encode(
      LoadedBackbone backbone, String what, List<Sentence> sentences, Options o) {
    log(o, "encoder states of the %s data (%d sentences)...", what, sentences.size());
    long t0 = System.nanoTime();
    FeatureCache c = FeatureCaches.open(backbone, sentences, o.cacheDir(), o.log());
    log(
        o,
        "  %s: %d sub-tokens, %s in %.1f s",
        c.path().getFileName(),
        c.report().subTokens(),
        c.report().reused() ? "reused" : "encoded",
        (System.nanoTime() - t0) / 1e9);
    return c;
  }

  private static int evalBatch(Options o) {
    return Math.max(32, o.training().batchSize());
  }

  static List<List<String>> tags(List<Sentence> sentences) {
    List<List<String>> out = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      out.add(s.tags());
    }
    return out;
  }

  private static void requireLabeled(String what, List<Sentence> sentences) {
    Objects.requireNonNull(sentences, what);
    if (sentences.isEmpty()) {
      throw new IllegalArgumentException("the " + what + " data has no sentences");
    }
    for (int i = 0; i < sentences.size(); i++) {
      if (!sentences.get(i).labeled()) {
        throw new IllegalArgumentException(
            "sentence " + (i + 1) + " of the " + what + " data has no tags (need word TAG lines)");
      }
    }
  }

  private static List<Sentence> asSentences(List<LabeledText> texts) {
    List<Sentence> out = new ArrayList<>(texts.size());
    for (LabeledText t : texts) {
      List<String> words = List.of(t.text().trim().split("\\s+"));
      out.add(Sentence.unlabeled(words));
    }
    return out;
  }

  private static int[] indices(List<LabeledText> texts, List<String> classes) {
    int[] out = new int[texts.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = classes.indexOf(texts.get(i).label());
    }
    return out;
  }

  private static double accuracy(int[] gold, int[] predicted) {
    int right = 0;
    for (int i = 0; i < gold.length; i++) {
      if (gold[i] == predicted[i]) {
        right++;
      }
    }
    return (double) right / gold.length;
  }

  private static void log(Options o, String fmt, Object... args) {
    if (o.log() != null) {
      o.log().printf(fmt + "%n", args);
    }
  }
}
