package dev.strata.model.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.CachedBatch;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.LabelSet;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.eval.EntitySpan;
import dev.strata.model.eval.Spans;
import dev.strata.model.head.BackboneRef;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.head.LoadedHeadModel;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.HeadPredictor;
import dev.strata.model.train.Prediction;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
    if (labels == null) {
      throw new IllegalStateException("this model has no token head; it cannot tag entities");
    }
    List<List<String>> out = new ArrayList<>(cache.size());
    predictCached(
        model,
        cache,
        batchSize,
        (i, row, p) -> {
          int[] first = cache.firstSubTokens(i);
          float[][] wordProbs = new float[first.length][];
          for (int w = 0; w < first.length; w++) {
            wordProbs[w] = first[w] < 0 ? null : p.tokenProbabilities()[row][first[w]];
          }
          out.add(decoding.decode(wordProbs, labels));
        });
    return out;
  }

  /** Predicted class index of every cached example (sequence head). */
  static int[] predictClasses(FusionModel model, FeatureCache cache, int batchSize) {
    int[] out = new int[cache.size()];
    predictCached(model, cache, batchSize, (i, row, p) -> out[i] = p.sequenceLabels()[row]);
    return out;
  }

  /** Receives the prediction of cached example {@code index}, at {@code row} of its batch. */
  @FunctionalInterface
  private interface RowConsumer {
    void accept(int index, int row, Prediction prediction);
  }

  /** Runs the model over every cached example in order, one manager per batch. */
  private static void predictCached(
      FusionModel model, FeatureCache cache, int batchSize, RowConsumer consumer) {
    for (int from = 0; from < cache.size(); from += batchSize) {
      int[] idx = range(from, Math.min(cache.size(), from + batchSize));
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
    Objects.requireNonNull(texts, "texts");
    int limit = backbone.encoder().config().maxPositions();
    List<TextState> states = new ArrayList<>(texts.size());
    List<Window> windows = new ArrayList<>();
    for (String text : texts) {
      Objects.requireNonNull(text, "text");
      Encoding full = backbone.tokenizer().encode(text);
      TextState st = new TextState(text, full.wordCount(), full.length() - 2);
      states.add(st);
      for (Encoding w : backbone.tokenizer().fit(full, limit, OverflowPolicy.SPLIT)) {
        windows.add(new Window(st, w));
        st.windows++;
      }
    }
    for (int from = 0; from < windows.size(); from += DEFAULT_BATCH) {
      run(windows.subList(from, Math.min(windows.size(), from + DEFAULT_BATCH)));
    }
    List<Annotation> out = new ArrayList<>(states.size());
    for (TextState st : states) {
      out.add(st.toAnnotation(tokenLabels, sequenceLabels, decoding));
    }
    return out;
  }

  private void run(List<Window> batch) {
    List<Encoding> encs = new ArrayList<>(batch.size());
    for (Window w : batch) {
      encs.add(w.encoding);
    }
    TokenBatch tb = TokenBatch.of(encs);
    try (HiddenStates hs = backbone.encoder().forward(tb)) {
      NDManager m = hs.manager();
      NDArray stacked = hs.stacked();
      NDArray mask =
          m.create(tb.mask(), new Shape(tb.size(), tb.seqLen())).toType(DataType.FLOAT32, false);
      Prediction p = HeadPredictor.predict(model, new FeatureBatch(stacked, mask, null, null));
      for (int r = 0; r < batch.size(); r++) {
        batch.get(r).collect(p, r);
      }
    }
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

  /** One encoder window of a text. */
  private record Window(TextState text, Encoding encoding) {
    void collect(Prediction p, int row) {
      Encoding e = encoding;
      if (p.sequenceProbabilities() != null && text.classProbs == null) {
        text.classProbs = p.sequenceProbabilities()[row];
      }
      for (int t = 0; t < e.length(); t++) {
        int w = e.wordIds()[t];
        if (w < 0) {
          continue;
        }
        text.wordEnd[w] = Math.max(text.wordEnd[w], e.ends()[t]);
        if (text.wordStart[w] >= 0) {
          continue; // not the word's first sub-token
        }
        text.wordStart[w] = e.starts()[t];
        if (p.tokenProbabilities() != null) {
          text.wordProbs[w] = p.tokenProbabilities()[row][t];
        }
        if (p.layerWeights() != null) {
          text.weights[w] = p.layerWeights()[row][t].clone();
        }
      }
    }
  }

  /** What has been collected for one text across its windows. */
  private static final class TextState {
    final String text;
    final int subTokens;
    final int[] wordStart;
    final int[] wordEnd;
    final float[][] wordProbs;
    final float[] prob;
    final float[][] weights;
    float[] classProbs;
    int windows;

    TextState(String text, int words, int subTokens) {
      this.text = text;
      this.subTokens = subTokens;
      this.wordStart = new int[words];
      this.wordEnd = new int[words];
      this.wordProbs = new float[words][];
      this.prob = new float[words];
      this.weights = new float[words][];
      Arrays.fill(wordStart, -1);
      Arrays.fill(wordEnd, -1);
    }

    Annotation toAnnotation(LabelSet labels, List<String> classes, TagDecoding decoding) {
      List<Entity> entities = new ArrayList<>();
      if (labels != null) {
        List<String> tags = decoding.decode(wordProbs, labels);
        for (int w = 0; w < tags.size(); w++) {
          prob[w] = wordProbs[w] == null ? 0f : wordProbs[w][labels.encode(tags.get(w))];
        }
        for (EntitySpan s : Spans.fromTags(tags)) {
          int start = wordStart[s.start()];
          int end = wordEnd[s.end() - 1];
          float score = 0;
          float[] avg = weights[s.start()] == null ? null : new float[weights[s.start()].length];
          for (int w = s.start(); w < s.end(); w++) {
            score += prob[w];
            if (avg != null && weights[w] != null) {
              for (int k = 0; k < avg.length; k++) {
                avg[k] += weights[w][k] / s.length();
              }
            }
          }
          entities.add(
              new Entity(
                  start, end, s.type(), text.substring(start, end), score / s.length(), avg));
        }
      }
      String classLabel = null;
      Map<String, Float> probs = new LinkedHashMap<>();
      if (classProbs != null && !classes.isEmpty()) {
        int best = 0;
        for (int i = 0; i < classProbs.length; i++) {
          probs.put(classes.get(i), classProbs[i]);
          if (classProbs[i] > classProbs[best]) {
            best = i;
          }
        }
        classLabel = classes.get(best);
      }
      return new Annotation(entities, classLabel, probs, windows, subTokens);
    }
  }
}
