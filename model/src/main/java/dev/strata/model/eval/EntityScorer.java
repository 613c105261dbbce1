package dev.strata.model.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Accumulates entity-level precision, recall and F1 over sentences, with the CoNLL {@code
 * conlleval} conventions on IOB2 tags:
 *
 * <ul>
 *   <li>entities are read from tags by {@link Spans#fromTags} ({@code I-X} after {@code O} or after
 *       another type opens an entity; {@code B-X B-X} is two entities);
 *   <li>a predicted entity counts only when a gold entity has exactly the same start, end and type:
 *       a partial overlap is a false positive and a false negative;
 *   <li>spans never cross sentences; ratios with a zero denominator are 0 (see {@link TypeCounts}).
 * </ul>
 *
 * <p>Not thread-safe: use one scorer per evaluation.
 */
public final class EntityScorer {
  private final Map<String, long[]> counts = new TreeMap<>();
  private long tokens;
  private long correctTags;

  /**
   * Adds one sentence.
   *
   * @throws IllegalArgumentException when the sequences differ in length or a tag is not IOB2
   */
  public EntityScorer add(List<String> gold, List<String> predicted) {
    Objects.requireNonNull(gold, "gold");
    Objects.requireNonNull(predicted, "predicted");
    if (gold.size() != predicted.size()) {
      throw new IllegalArgumentException(
          "gold and predicted tags differ in length: "
              + gold.size()
              + " vs "
              + predicted.size()
              + " (one tag per word in both)");
    }
    List<EntitySpan> g = Spans.fromTags(gold);
    List<EntitySpan> p = Spans.fromTags(predicted);
    Set<EntitySpan> goldSet = new HashSet<>(g);
    for (EntitySpan s : g) {
      slot(s.type())[2]++;
    }
    for (EntitySpan s : p) {
      long[] c = slot(s.type());
      c[1]++;
      if (goldSet.contains(s)) {
        c[0]++;
      }
    }
    tokens += gold.size();
    for (int i = 0; i < gold.size(); i++) {
      if (gold.get(i).equals(predicted.get(i))) {
        correctTags++;
      }
    }
    return this;
  }

  private long[] slot(String type) {
    return counts.computeIfAbsent(type, t -> new long[3]);
  }

  /** The scores of everything added so far. */
  public EntityScores scores() {
    Map<String, TypeCounts> perType = new TreeMap<>();
    TypeCounts micro = TypeCounts.ZERO;
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      long[] c = e.getValue();
      TypeCounts tc = new TypeCounts(c[0], c[1], c[2]);
      perType.put(e.getKey(), tc);
      micro = micro.plus(tc);
    }
    return new EntityScores(micro, perType, tokens, correctTags);
  }

  /** Scores parallel lists of sentences' gold and predicted tags. */
  public static EntityScores score(List<List<String>> gold, List<List<String>> predicted) {
    Objects.requireNonNull(gold, "gold");
    Objects.requireNonNull(predicted, "predicted");
    if (gold.size() != predicted.size()) {
      throw new IllegalArgumentException(
          "gold has " + gold.size() + " sentences but predicted has " + predicted.size());
    }
    EntityScorer s = new EntityScorer();
    for (int i = 0; i < gold.size(); i++) {
      s.add(gold.get(i), predicted.get(i));
    }
    return s.scores();
  }
}
