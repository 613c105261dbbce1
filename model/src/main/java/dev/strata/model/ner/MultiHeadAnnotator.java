package dev.strata.model.ner;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.LabelSet;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.eval.EntitySpan;
import dev.strata.model.eval.Spans;
import dev.strata.model.head.FusionModel;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.HeadPredictor;
import dev.strata.model.train.Prediction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Annotates raw texts with several heads on one backbone: the encoder runs once per batch of
 * windows and every head reads the same hidden states. {@link EntityTagger#annotate} is this with
 * one head, so a head annotates the same way alone or next to others.
 */
public final class MultiHeadAnnotator {
  /** Encoder windows per forward pass. */
  public static final int DEFAULT_BATCH = 32;

  private MultiHeadAnnotator() {}

  /**
   * One head as the annotator needs it.
   *
   * @param model the head and classifiers (weights loaded)
   * @param tokenLabels token label set, or {@code null} without a token head
   * @param sequenceLabels sequence labels, empty without a sequence head
   * @param decoding how word tags are decoded
   */
  public record Head(
      FusionModel model, LabelSet tokenLabels, List<String> sequenceLabels, TagDecoding decoding) {
    public Head {
      Objects.requireNonNull(model, "model");
      sequenceLabels = sequenceLabels == null ? List.of() : List.copyOf(sequenceLabels);
      Objects.requireNonNull(decoding, "decoding");
    }
  }

  /**
   * Annotates {@code texts}; texts longer than the encoder's positions are split into windows at
   * word boundaries.
   *
   * @return per text, the annotation of every head in the order of {@code heads}
   */
  public static List<List<Annotation>> annotate(
      LoadedBackbone backbone, List<Head> heads, List<String> texts) {
    return annotate(backbone, heads, texts, Batching.LENGTH_GROUPS);
  }

  /**
   * How the windows of one call are grouped into encoder passes. Outputs are the same either way
   * (up to float rounding); only the padding, and so the time, differs.
   */
  public enum Batching {
    /** Windows in input order, {@value #DEFAULT_BATCH} per pass: every pass pads to its longest. */
    INPUT_ORDER,
    /**
     * Windows sorted by length and cut into passes of similar length (at least {@value #MIN_GROUP}
     * windows each, at most {@value #DEFAULT_BATCH}), so little of each pass is padding.
     */
    LENGTH_GROUPS
  }

  /** Fewest windows per pass before {@link Batching#LENGTH_GROUPS} may start a new pass. */
  public static final int MIN_GROUP = 8;

  /** Padding share of a pass above which {@link Batching#LENGTH_GROUPS} starts a new one. */
  static final double MAX_PADDING = 0.2;

  /**
   * As {@link #annotate(LoadedBackbone, List, List)}, with the given grouping of windows into
   * encoder passes.
   */
  public static List<List<Annotation>> annotate(
      LoadedBackbone backbone, List<Head> heads, List<String> texts, Batching batching) {
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(heads, "heads");
    Objects.requireNonNull(texts, "texts");
    int limit = backbone.encoder().config().maxPositions();
    int h = heads.size();
    List<TextState> states = new ArrayList<>(texts.size());
    List<Window> windows = new ArrayList<>();
    for (String text : texts) {
      Objects.requireNonNull(text, "text");
      Encoding full = backbone.tokenizer().encode(text);
      TextState st = new TextState(text, full.wordCount(), full.length() - 2, h);
      states.add(st);
      for (Encoding w : backbone.tokenizer().fit(full, limit, OverflowPolicy.SPLIT)) {
        windows.add(new Window(st, w));
        st.windows++;
      }
    }
    if (h > 0) {
      Prediction[][] predictions = new Prediction[windows.size()][];
      int[] rows = new int[windows.size()];
      int[] lengths = new int[windows.size()];
      for (int i = 0; i < lengths.length; i++) {
        lengths[i] = windows.get(i).length();
      }
      for (int[] group : groups(lengths, batching)) {
        run(backbone, heads, windows, group, predictions, rows);
      }
      // Results are applied in window order, whatever order the groups ran in: where windows of
      // one text overlap, the earlier window keeps the words it claimed.
      for (int i = 0; i < windows.size(); i++) {
        for (int k = 0; k < h; k++) {
          windows.get(i).collect(k, predictions[i][k], rows[i]);
        }
      }
    }
    List<List<Annotation>> out = new ArrayList<>(states.size());
    for (TextState st : states) {
      List<Annotation> perHead = new ArrayList<>(h);
      for (int k = 0; k < h; k++) {
        perHead.add(st.toAnnotation(k, heads.get(k)));
      }
      out.add(perHead);
    }
    return out;
  }

  /** Window indexes grouped into encoder passes, given each window's length in sub-tokens. */
  static List<int[]> groups(int[] lengths, Batching batching) {
    int n = lengths.length;
    List<int[]> out = new ArrayList<>();
    if (batching == Batching.INPUT_ORDER) {
      for (int from = 0; from < n; from += DEFAULT_BATCH) {
        int to = Math.min(n, from + DEFAULT_BATCH);
        int[] g = new int[to - from];
        for (int i = 0; i < g.length; i++) {
          g[i] = from + i;
        }
        out.add(g);
      }
      return out;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, java.util.Comparator.comparingInt(i -> lengths[i]));
    List<Integer> current = new ArrayList<>();
    long real = 0;
    for (int idx : order) {
      int len = lengths[idx];
      // Sorted ascending, so this window would be the pass's longest.
      long padded = (long) len * (current.size() + 1);
      boolean tooPadded = current.size() >= MIN_GROUP && padded > (1 + MAX_PADDING) * (real + len);
      if (current.size() == DEFAULT_BATCH || tooPadded) {
        out.add(current.stream().mapToInt(Integer::intValue).toArray());
        current.clear();
        real = 0;
      }
      current.add(idx);
      real += len;
    }
    if (!current.isEmpty()) {
      out.add(current.stream().mapToInt(Integer::intValue).toArray());
    }
    return out;
  }

  private static void run(
      LoadedBackbone backbone,
      List<Head> heads,
      List<Window> windows,
      int[] group,
      Prediction[][] predictions,
      int[] rows) {
    List<Encoding> encs = new ArrayList<>(group.length);
    for (int i : group) {
      encs.add(windows.get(i).encoding);
    }
    TokenBatch tb = TokenBatch.of(encs);
    try (HiddenStates hs = backbone.encoder().forward(tb)) {
      NDManager m = hs.manager();
      NDArray stacked = hs.stacked();
      NDArray mask =
          m.create(tb.mask(), new Shape(tb.size(), tb.seqLen())).toType(DataType.FLOAT32, false);
      Prediction[] perHead = new Prediction[heads.size()];
      for (int k = 0; k < heads.size(); k++) {
        perHead[k] =
            HeadPredictor.predict(
                heads.get(k).model(), new FeatureBatch(stacked, mask, null, null));
      }
      for (int r = 0; r < group.length; r++) {
        predictions[group[r]] = perHead;
        rows[group[r]] = r;
      }
    }
  }

  /** One encoder window of a text. */
  private record Window(TextState text, Encoding encoding) {
    int length() {
      return encoding.length();
    }

    void collect(int head, Prediction p, int row) {
      Encoding e = encoding;
      if (p.sequenceProbabilities() != null && text.classProbs[head] == null) {
        text.classProbs[head] = p.sequenceProbabilities()[row];
      }
      for (int t = 0; t < e.length(); t++) {
        int w = e.wordIds()[t];
        if (w < 0) {
          continue;
        }
        if (head == 0) {
          text.wordEnd[w] = Math.max(text.wordEnd[w], e.ends()[t]);
          if (text.wordStart[w] < 0) {
            text.wordStart[w] = e.starts()[t];
          }
        }
        if (text.claimed[head][w]) {
          continue; // not the word's first sub-token
        }
        text.claimed[head][w] = true;
        if (p.tokenProbabilities() != null) {
          text.wordProbs[head][w] = p.tokenProbabilities()[row][t];
        }
        if (p.layerWeights() != null) {
          text.weights[head][w] = p.layerWeights()[row][t].clone();
        }
      }
    }
  }

  /** What has been collected for one text across its windows, per head. */
  private static final class TextState {
    final String text;
    final int subTokens;
    final int[] wordStart;
    final int[] wordEnd;
    final float[][][] wordProbs;
    final float[][][] weights;
    final boolean[][] claimed;
    final float[][] classProbs;
    int windows;

    TextState(String text, int words, int subTokens, int heads) {
      this.text = text;
      this.subTokens = subTokens;
      this.wordStart = new int[words];
      this.wordEnd = new int[words];
      this.wordProbs = new float[heads][words][];
      this.weights = new float[heads][words][];
      this.claimed = new boolean[heads][words];
      this.classProbs = new float[heads][];
      Arrays.fill(wordStart, -1);
      Arrays.fill(wordEnd, -1);
    }

    Annotation toAnnotation(int k, Head head) {
      List<Entity> entities = new ArrayList<>();
      LabelSet labels = head.tokenLabels();
      float[][] probs = wordProbs[k];
      float[][] lw = weights[k];
      if (labels != null) {
        List<String> tags = head.decoding().decode(probs, labels);
        float[] prob = new float[tags.size()];
        for (int w = 0; w < tags.size(); w++) {
          prob[w] = probs[w] == null ? 0f : probs[w][labels.encode(tags.get(w))];
        }
        for (EntitySpan s : Spans.fromTags(tags)) {
          int start = wordStart[s.start()];
          int end = wordEnd[s.end() - 1];
          float score = 0;
          float[] avg = lw[s.start()] == null ? null : new float[lw[s.start()].length];
          for (int w = s.start(); w < s.end(); w++) {
            score += prob[w];
            if (avg != null && lw[w] != null) {
              for (int j = 0; j < avg.length; j++) {
                avg[j] += lw[w][j] / s.length();
              }
            }
          }
          entities.add(
              new Entity(
                  start, end, s.type(), text.substring(start, end), score / s.length(), avg));
        }
      }
      String classLabel = null;
      Map<String, Float> classes = new LinkedHashMap<>();
      List<String> names = head.sequenceLabels();
      float[] cp = classProbs[k];
      if (cp != null && !names.isEmpty()) {
        int best = 0;
        for (int i = 0; i < cp.length; i++) {
          classes.put(names.get(i), cp[i]);
          if (cp[i] > cp[best]) {
            best = i;
          }
        }
        classLabel = names.get(best);
      }
      return new Annotation(entities, classLabel, classes, windows, subTokens);
    }
  }
}
