package dev.strata.model.feedback;

import dev.strata.model.data.Sentence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * What a refinement trains and is gated on: feedback split into training and held-out examples,
 * plus the sample of base data replayed with it.
 *
 * <p>The split is deterministic and independent of the store's order: examples are ranked by a hash
 * of their id and the seed, and the first ones are held out, so an example tends to stay on its
 * side as the store grows. At least {@link RefineSettings#minHoldout()} examples are held out and
 * at least one is trained on.
 *
 * @param train feedback to train on
 * @param holdout feedback the candidate and serving heads are scored on
 * @param replay base sentences trained on with the feedback (at most {@link
 *     RefineSettings#maxBaseReplay()}, drawn with the seed)
 */
record FeedbackSplit(
    List<FeedbackExample> train, List<FeedbackExample> holdout, List<Sentence> replay) {

  FeedbackSplit {
    train = List.copyOf(train);
    holdout = List.copyOf(holdout);
    replay = List.copyOf(replay);
  }

  static FeedbackSplit of(List<FeedbackExample> feedback, List<Sentence> base, RefineSettings s) {
    if (feedback.size() < 2) {
      throw new IllegalArgumentException(
          "need at least 2 feedback examples to split, got " + feedback.size());
    }
    List<FeedbackExample> order = new ArrayList<>(feedback);
    order.sort(
        Comparator.comparingLong((FeedbackExample e) -> rank(e.id(), s.seed()))
            .thenComparing(FeedbackExample::id));
    int n = order.size();
    int k = (int) Math.max(s.minHoldout(), Math.round(s.holdoutFraction() * n));
    k = Math.min(k, n - 1);
    return new FeedbackSplit(order.subList(k, n), order.subList(0, k), replay(base, s));
  }

  /** The sentences of {@code examples}, in order. */
  static List<Sentence> sentences(List<FeedbackExample> examples) {
    List<Sentence> out = new ArrayList<>(examples.size());
    examples.forEach(e -> out.add(e.sentence()));
    return out;
  }

  private static long rank(String id, int seed) {
    long h = 1125899906842597L + seed;
    for (int i = 0; i < id.length(); i++) {
      h = 31 * h + id.charAt(i);
    }
    return new Random(h).nextLong();
  }

  private static List<Sentence> replay(List<Sentence> base, RefineSettings s) {
    if (base.isEmpty() || s.maxBaseReplay() == 0) {
      return List.of();
    }
    if (base.size() <= s.maxBaseReplay()) {
      return base;
    }
    List<Sentence> copy = new ArrayList<>(base);
    Collections.shuffle(copy, new Random(s.seed()));
    return copy.subList(0, s.maxBaseReplay());
  }
}
