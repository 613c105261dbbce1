package dev.strata.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Draws the few-shot training sets: k sentences from a split with a seeded RNG.
 *
 * <p>The sample is a pure function of the sentence list, k and the seed: every head trained with
 * the same (k, seed) sees the same sentences. It works as follows:
 *
 * <ol>
 *   <li><b>Duplicates are removed first.</b> Exact duplicates (same words and same tags) are
 *       collapsed to their first occurrence, so a k-shot set holds k <em>different</em> sentences;
 *       CoNLL-03 train has about 1,350 repeated sentences (scores, datelines), which would
 *       otherwise be drawn in proportion to how often they repeat.
 *   <li>The unique sentences are shuffled with {@link Random}{@code (seed)} (a Fisher–Yates
 *       shuffle; {@code java.util.Random}'s algorithm is fixed by its specification, so samples are
 *       the same on every JVM), and the first k are taken. Hence samples are nested: with the same
 *       seed, the 50-shot set is contained in the 100-shot set.
 *   <li>The result keeps the order of the input list.
 * </ol>
 *
 * <p>{@link #FULL} returns the whole list as given, duplicates included (the usual full-data
 * setting).
 */
public final class FewShotSampler {
  /** The value of k meaning "all sentences". */
  public static final int FULL = -1;

  private FewShotSampler() {}

  /**
   * Parses a size as written in configuration: {@code full} or a positive integer.
   *
   * @throws IllegalArgumentException naming the bad value and the allowed forms
   */
  public static int parseK(String k) {
    Objects.requireNonNull(k, "k");
    if (k.strip().equalsIgnoreCase("full")) {
      return FULL;
    }
    try {
      int v = Integer.parseInt(k.strip());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException(
        "bad few-shot size '" + k + "': expected 'full' or a positive integer such as 50");
  }

  /**
   * The indices (into {@code sentences}, ascending) of a sample of {@code k} unique sentences.
   *
   * @param k number of sentences, or {@link #FULL} for all of them
   * @throws IllegalArgumentException when k is not positive or exceeds the number of unique
   *     sentences
   */
  public static int[] sampleIndices(List<Sentence> sentences, int k, long seed) {
    Objects.requireNonNull(sentences, "sentences");
    if (k == FULL) {
      int[] all = new int[sentences.size()];
      for (int i = 0; i < all.length; i++) {
        all[i] = i;
      }
      return all;
    }
    if (k <= 0) {
      throw new IllegalArgumentException("few-shot size k must be positive or FULL, got " + k);
    }
    int[] unique = uniqueIndices(sentences);
    if (k > unique.length) {
      throw new IllegalArgumentException(
          "cannot sample k="
              + k
              + " sentences: the set has only "
              + unique.length
              + " unique sentences ("
              + sentences.size()
              + " with duplicates); use a smaller k or 'full'");
    }
    Random rng = new Random(seed);
    for (int i = unique.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int tmp = unique[i];
      unique[i] = unique[j];
      unique[j] = tmp;
    }
    int[] chosen = new int[k];
    System.arraycopy(unique, 0, chosen, 0, k);
    Arrays.sort(chosen);
    return chosen;
  }

  /** The sentences at {@link #sampleIndices}, in input order. */
  public static List<Sentence> sample(List<Sentence> sentences, int k, long seed) {
    int[] idx = sampleIndices(sentences, k, seed);
    List<Sentence> out = new ArrayList<>(idx.length);
    for (int i : idx) {
      out.add(sentences.get(i));
    }
    return List.copyOf(out);
  }

  /** Indices of the first occurrence of every distinct sentence, ascending. */
  public static int[] uniqueIndices(List<Sentence> sentences) {
    Objects.requireNonNull(sentences, "sentences");
    Set<Sentence> seen = new HashSet<>();
    int[] out = new int[sentences.size()];
    int n = 0;
    for (int i = 0; i < sentences.size(); i++) {
      if (seen.add(sentences.get(i))) {
        out[n++] = i;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
