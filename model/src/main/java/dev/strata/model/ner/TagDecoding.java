package dev.strata.model.ner;

import dev.strata.model.data.LabelSet;
import java.util.ArrayList;
import java.util.List;

/**
 * How word tags are read from the head's per-word label probabilities.
 *
 * <p>{@link #ARGMAX} takes the most probable label of every word on its own; it can produce
 * sequences IOB2 forbids ({@code O I-PER}), which the conlleval convention then counts as extra
 * entities. {@link #IOB2_VITERBI} picks the most probable sequence (sum of log-probabilities) among
 * valid IOB2 sequences only: {@code I-X} may follow only {@code B-X} or {@code I-X}.
 */
public enum TagDecoding {
  ARGMAX,
  IOB2_VITERBI;

  /**
   * Decodes one sentence.
   *
   * @param probs per word, the probability of every label of {@code labels} (rows may be null for
   *     words that were cut off: they become {@code O})
   */
  public List<String> decode(float[][] probs, LabelSet labels) {
    int n = probs.length;
    List<String> out = new ArrayList<>(n);
    if (this == ARGMAX) {
      for (float[] p : probs) {
        out.add(p == null ? "O" : labels.decode(argmax(p)));
      }
      return out;
    }
    int c = labels.size();
    String[] names = labels.labels().toArray(new String[0]);
    double[] score = new double[c];
    int[][] back = new int[n][c];
    for (int w = 0; w < n; w++) {
      double[] next = new double[c];
      for (int j = 0; j < c; j++) {
        double emit = probs[w] == null ? (j == 0 ? 0 : Double.NEGATIVE_INFINITY) : log(probs[w][j]);
        if (w == 0) {
          next[j] = names[j].startsWith("I-") ? Double.NEGATIVE_INFINITY : emit;
          continue;
        }
        double best = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int i = 0; i < c; i++) {
          if (!allowed(names[i], names[j]) || score[i] == Double.NEGATIVE_INFINITY) {
            continue;
          }
          if (score[i] > best) {
            best = score[i];
            arg = i;
          }
        }
        next[j] = best + emit;
        back[w][j] = arg;
      }
      score = next;
    }
    int last = 0;
    for (int j = 1; j < c; j++) {
      if (score[j] > score[last]) {
        last = j;
      }
    }
    int[] path = new int[n];
    for (int w = n - 1; w >= 0; w--) {
      path[w] = last;
      last = back[w][last];
    }
    for (int j : path) {
      out.add(names[j]);
    }
    return out;
  }

  /** Whether IOB2 allows tag {@code to} right after tag {@code from}. */
  static boolean allowed(String from, String to) {
    if (!to.startsWith("I-")) {
      return true;
    }
    String type = to.substring(2);
    return from.equals("B-" + type) || from.equals("I-" + type);
  }

  private static double log(float p) {
    return Math.log(Math.max(p, 1e-30f));
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[best]) {
        best = i;
      }
    }
    return best;
  }
}
