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
      for (int from = 0; from < windows.size(); from += DEFAULT_BATCH) {
        run(backbone, heads, windows.subList(from, Math.min(windows.size(), from + DEFAULT_BATCH)));
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

  private static void run(LoadedBackbone backbone, List<Head> heads, List<Window> batch) {
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
      for (int k = 0; k < heads.size(); k++) {
        Prediction p =
            HeadPredictor.predict(
                heads.get(k).model(), new FeatureBatch(stacked, mask, null, null));
        for (int r = 0; r < batch.size(); r++) {
          batch.get(r).collect(k, p, r);
        }
      }
    }
  }

  /** One encoder window of a text. */
  private record Window(TextState text, Encoding encoding) {
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
