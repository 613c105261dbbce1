package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.head.BackboneRef;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.head.LoadedHeadModel;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.HeadPredictor;
import dev.strata.model.train.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * A trained fusion head on a loaded backbone: tags words of CoNLL sentences, and annotates raw
 * texts with character-offset entity spans, scores and layer weights (and a class label when the
 * model has a sequence head).
 */
public final class EntityTagger implements AutoCloseable {
  private static final int DEFAULT_BATCH = 32;

  private final LoadedBackbone backbone;
  private final NDManager manager;
  private final FusionModel model;
  private final HeadModelHeader header;
  private final LabelSet tokenLabels;
  private final List<String> sequenceLabels;
  private volatile TagDecoding decoding = TagDecoding.IOB2_VITERBI;

  EntityTagger(
      LoadedBackbone backbone, NDManager manager, FusionModel model, HeadModelHeader header) {
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.model = Objects.requireNonNull(model, "model");
    this.header = Objects.requireNonNull(header, "header");
    this.tokenLabels = header.tokenLabels().isEmpty() ? null : LabelSet.of(header.tokenLabels());
    this.sequenceLabels = header.sequenceLabels();
  }

  /**
   * Loads a saved model for {@code backbone}.
   *
   * @throws dev.strata.model.head.HeadModelException when the file is not a head model, has another
   *     format version, is corrupt or was trained on other backbone weights
   */
  public static EntityTagger load(Path file, LoadedBackbone backbone) {
    Objects.requireNonNull(file, "file");
    NDManager m = NDManager.newBaseManager(backbone.encoder().device(), "PyTorch");
    try {
      LoadedHeadModel loaded = HeadModelFile.read(file, ref(backbone), m);
      return new EntityTagger(backbone, m, loaded.model(), loaded.header());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /**
   * Loads a model from the bytes of a head model file (e.g. a record of a heads topic) for {@code
   * backbone}; {@code name} appears in messages.
   *
   * @throws dev.strata.model.head.HeadModelException as {@link #load(Path, LoadedBackbone)}
   */
  public static EntityTagger load(byte[] bytes, String name, LoadedBackbone backbone) {
    Objects.requireNonNull(bytes, "bytes");
    NDManager m = NDManager.newBaseManager(backbone.encoder().device(), "PyTorch");
    try {
      LoadedHeadModel loaded = HeadModelFile.read(bytes, name, ref(backbone), m);
      return new EntityTagger(backbone, m, loaded.model(), loaded.header());
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The reference saved models carry for {@code backbone}. */
  public static BackboneRef ref(LoadedBackbone backbone) {
    return new BackboneRef(backbone.spec().name(), backbone.checkpoint().weightChecksum());
  }

  /** What the model file says about itself. */
  public HeadModelHeader header() {
    return header;
  }

  /** The head and classifiers. */
  public FusionModel model() {
    return model;
  }

  /** The token label set, or {@code null} without a token head. */
  public LabelSet tokenLabels() {
    return tokenLabels;
  }

  /** The sequence labels (empty without a sequence head). */
  public List<String> sequenceLabels() {
    return sequenceLabels;
  }

  /**
   * Predicted IOB2 tags for every word of every cached sentence. Words cut off by the encoder's
   * length limit get {@code O}.
   */
  public List<List<String>> predictTags(FeatureCache cache) {
    return predictTags(cache, decoding);
  }

  /** As {@link #predictTags(FeatureCache)} with the given decoding. */
  public List<List<String>> predictTags(FeatureCache cache, TagDecoding decoding) {
    return predictTags(model, tokenLabels, cache, DEFAULT_BATCH, decoding);
  }

  /** How word tags are decoded (default {@link TagDecoding#IOB2_VITERBI}). */
  public TagDecoding decoding() {
    return decoding;
  }

  /** Sets how word tags are decoded for {@link #predictTags} and {@link #annotate}. */
  public EntityTagger setDecoding(TagDecoding decoding) {
    this.decoding = Objects.requireNonNull(decoding, "decoding");
    return this;
  }

  static List<List<String>> predictTags(
      FusionModel model, LabelSet labels, FeatureCache cache, int batchSize, TagDecoding decoding) {
    return predictTags(model, labels, cache, batchSize, decoding, CachedOrder.BY_LENGTH);
  }

  /** As above, with the given cutting of the cache into batches (the result is in cache order). */
  static List<List<String>> predictTags(
      FusionModel model,
      LabelSet labels,
      FeatureCache cache,
      int batchSize,
      TagDecoding decoding,
      CachedOrder order) {
    CachedPositions positions =
        model.head().type().mixesTokens() ? CachedPositions.ALL : CachedPositions.WORD_STARTS;
    return predictTags(model, labels, cache, batchSize, decoding, order, positions);
  }

  /** As above, with the given positions shown to the model. */
  static List<List<String>> predictTags(
      FusionModel model,
      LabelSet labels,
      FeatureCache cache,
      int batchSize,
      TagDecoding decoding,
      CachedOrder order,
      CachedPositions positions) {
    if (labels == null) {
      throw new IllegalStateException("this model has no token head; it cannot tag entities");
    }
    List<List<String>> out = new ArrayList<>(Collections.nCopies(cache.size(), null));
    if (positions == CachedPositions.WORD_STARTS) {
      if (model.head().type().mixesTokens()) {
        throw new IllegalArgumentException(
            "the "
                + model.head().type().id()
                + " head attends across positions: it needs every position (ALL)");
      }
      predictWordStarts(model, labels, cache, batchSize, decoding, order, out);
      return out;
    }
    predictCached(
        model,
        cache,
        batchSize,
        order,
        (i, row, p) -> {
          int[] first = cache.firstSubTokens(i);
          float[][] wordProbs = new float[first.length][];
          for (int w = 0; w < first.length; w++) {
            wordProbs[w] = first[w] < 0 ? null : p.tokenProbabilities()[row][first[w]];
          }
          out.set(i, decoding.decode(wordProbs, labels));
        });
    return out;
  }

  /**
   * As {@link #predictTags}, for heads that keep positions apart: the model sees only the first
   * sub-token of every kept word ({@link FeatureCache#wordStarts(NDManager, int[])}), the positions
   * the tags are read from, and none of the padding, special tokens or continuation pieces.
   */
  private static void predictWordStarts(
      FusionModel model,
      LabelSet labels,
      FeatureCache cache,
      int batchSize,
      TagDecoding decoding,
      CachedOrder order,
      List<List<String>> out) {
    for (int[] idx : batches(cache, batchSize, order)) {
      int[][] firsts = new int[idx.length][];
      int kept = 0;
      for (int r = 0; r < idx.length; r++) {
        firsts[r] = cache.firstSubTokens(idx[r]);
        for (int f : firsts[r]) {
          kept += f >= 0 ? 1 : 0;
        }
      }
      try (NDManager m = NDManager.newBaseManager("PyTorch")) {
        float[][] probs = new float[0][];
        if (kept > 0) {
          CachedBatch b = cache.wordStarts(m, idx);
          probs =
              HeadPredictor.predict(model, new FeatureBatch(b.states(), b.mask(), null, null))
                  .tokenProbabilities()[0];
        }
        int k = 0;
        for (int r = 0; r < idx.length; r++) {
          float[][] wordProbs = new float[firsts[r].length][];
          for (int w = 0; w < wordProbs.length; w++) {
            wordProbs[w] = firsts[r][w] < 0 ? null : probs[k++];
          }
          out.set(idx[r], decoding.decode(wordProbs, labels));
        }
      }
    }
  }

  /** Predicted class index of every cached example (sequence head). */
  static int[] predictClasses(FusionModel model, FeatureCache cache, int batchSize) {
    int[] out = new int[cache.size()];
    predictCached(
        model,
        cache,
        batchSize,
        CachedOrder.BY_LENGTH,
        (i, row, p) -> out[i] = p.sequenceLabels()[row]);
    return out;
  }

  /** Receives the prediction of cached example {@code index}, at {@code row} of its batch. */
  @FunctionalInterface
  private interface RowConsumer {
    void accept(int index, int row, Prediction prediction);
  }

  /**
   * How cached examples are cut into batches for prediction. With {@link CachedPositions#ALL} a
   * batch is padded to its longest example, so batches of similar lengths skip most of the padding
   * (word-start batches have none): on the CoNLL-03 dev set (BERT-base sub-tokens) in file order,
   * 57% of the positions of 32-sentence batches are padding, against 2.7% sorted by length. Padding
   * is masked, so the order changes the cost, not the predictions (up to float rounding).
   */
  enum CachedOrder {
    /** Consecutive examples in cache order. */
    INPUT,
    /** Examples sorted by token count (stable), then cut into consecutive batches. */
    BY_LENGTH
  }

  /**
   * Which positions of cached examples the model sees when tagging. Tags are read from the first
   * sub-token of every word; a head that keeps positions apart gives the same probabilities there
   * either way (up to float rounding).
   */
  enum CachedPositions {
    /** Every sub-token, special tokens included, padded per batch. */
    ALL,
    /** The first sub-token of every kept word, packed ({@link FeatureCache#wordStarts}). */
    WORD_STARTS
  }

  /**
   * The cache indices cut into consecutive batches of at most {@code batchSize}, in {@code order}.
   */
  private static List<int[]> batches(FeatureCache cache, int batchSize, CachedOrder order) {
    int[] sequence = order == CachedOrder.BY_LENGTH ? byLength(cache) : range(0, cache.size());
    List<int[]> out = new ArrayList<>();
    for (int from = 0; from < sequence.length; from += batchSize) {
      out.add(Arrays.copyOfRange(sequence, from, Math.min(sequence.length, from + batchSize)));
    }
    return out;
  }

  /** Runs the model over every cached example, one manager per batch. */
  private static void predictCached(
      FusionModel model,
      FeatureCache cache,
      int batchSize,
      CachedOrder order,
      RowConsumer consumer) {
    for (int[] idx : batches(cache, batchSize, order)) {
      try (NDManager m = NDManager.newBaseManager("PyTorch")) {
        CachedBatch b = cache.batch(m, idx);
        Prediction p =
            HeadPredictor.predict(model, new FeatureBatch(b.states(), b.mask(), null, null));
        for (int r = 0; r < idx.length; r++) {
          consumer.accept(idx[r], r, p);
        }
      }
    }
  }

  /** Predicted class labels of every cached example. */
  public List<String> predictClasses(FeatureCache cache) {
    if (sequenceLabels.isEmpty()) {
      throw new IllegalStateException("this model has no sequence head; it cannot classify");
    }
    int[] ids = predictClasses(model, cache, DEFAULT_BATCH);
    List<String> out = new ArrayList<>(ids.length);
    for (int id : ids) {
      out.add(sequenceLabels.get(id));
    }
    return out;
  }

  /** Annotates one text. */
  public Annotation annotate(String text) {
    return annotate(List.of(text)).get(0);
  }

  /**
   * Annotates texts in one pass of the encoder per batch of windows. Texts longer than the
   * encoder's positions are split into windows at word boundaries; nothing is cut.
   */
  public List<Annotation> annotate(List<String> texts) {
    return annotate(texts, MultiHeadAnnotator.Batching.LENGTH_GROUPS);
  }

  /** As {@link #annotate(List)}, with the given grouping of windows into encoder passes. */
  public List<Annotation> annotate(List<String> texts, MultiHeadAnnotator.Batching batching) {
    List<List<Annotation>> perText =
        MultiHeadAnnotator.annotate(backbone, List.of(annotatingHead()), texts, batching);
    List<Annotation> out = new ArrayList<>(perText.size());
    for (List<Annotation> a : perText) {
      out.add(a.get(0));
    }
    return out;
  }

  /** This tagger as one head of a {@link MultiHeadAnnotator}. */
  public MultiHeadAnnotator.Head annotatingHead() {
    return new MultiHeadAnnotator.Head(model, tokenLabels, sequenceLabels, decoding);
  }

  /** Indices of the cached examples sorted by token count; ties keep cache order. */
  static int[] byLength(FeatureCache cache) {
    return IntStream.range(0, cache.size())
        .boxed()
        .sorted(Comparator.comparingInt(cache::tokens))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  private static int[] range(int from, int to) {
    int[] idx = new int[to - from];
    Arrays.setAll(idx, i -> from + i);
    return idx;
  }

  @Override
  public void close() {
    manager.close();
  }
}
