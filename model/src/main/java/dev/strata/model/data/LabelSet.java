package dev.strata.model.data;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The IOB2 label vocabulary of a token classifier: index 0 is {@code O}, then {@code B-X}, {@code
 * I-X} for every entity type X in sorted (ordinal string) order. For types {@code LOC, PER}: {@code
 * [O, B-LOC, I-LOC, B-PER, I-PER]}.
 *
 * <p>Serialises to JSON as the plain list of labels ({@link #labels()}) and is read back with
 * {@link #of(List)}, which checks the layout. Immutable; equal when the label lists are equal.
 */
public final class LabelSet {
  private final List<String> labels;
  private final List<String> types;
  private final Map<String, Integer> index;

  private LabelSet(List<String> types) {
    this.types = List.copyOf(types);
    List<String> ls = new ArrayList<>(1 + 2 * types.size());
    ls.add(Iob2.OUTSIDE);
    for (String t : types) {
      ls.add("B-" + t);
      ls.add("I-" + t);
    }
    this.labels = List.copyOf(ls);
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      m.put(labels.get(i), i);
    }
    this.index = Map.copyOf(m);
  }

  /**
   * The label set of the given entity types (duplicates collapse; order does not matter).
   *
   * @throws IllegalArgumentException for an empty type or one with whitespace
   */
  public static LabelSet ofTypes(Collection<String> types) {
    Objects.requireNonNull(types, "types");
    TreeSet<String> sorted = new TreeSet<>();
    for (String t : types) {
      Objects.requireNonNull(t, "type");
      if (!Iob2.isValid("B-" + t)) {
        throw new IllegalArgumentException(
            "bad entity type '" + t + "': expected a non-empty name without whitespace");
      }
      sorted.add(t);
    }
    return new LabelSet(new ArrayList<>(sorted));
  }

  /**
   * The label set of every entity type tagged in {@code sentences} (unlabeled sentences add
   * nothing).
   */
  public static LabelSet fromSentences(Collection<Sentence> sentences) {
    Objects.requireNonNull(sentences, "sentences");
    TreeSet<String> types = new TreeSet<>();
    for (Sentence s : sentences) {
      for (String tag : s.tags()) {
        String type = Iob2.type(tag);
        if (type != null) {
          types.add(type);
        }
      }
    }
    return new LabelSet(new ArrayList<>(types));
  }

  /**
   * Reads back a list written by {@link #labels()} (a model's saved label vocabulary).
   *
   * @throws IllegalArgumentException when the list is not {@code O} followed by {@code B-X, I-X}
   *     pairs in sorted type order, giving the expected list
   */
  @JsonCreator
  public static LabelSet of(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    TreeSet<String> types = new TreeSet<>();
    for (String l : labels) {
      String type = Iob2.type(Objects.requireNonNull(l, "label"));
      if (type != null) {
        types.add(type);
      }
    }
    LabelSet set = new LabelSet(new ArrayList<>(types));
    if (!set.labels.equals(labels)) {
      throw new IllegalArgumentException(
          "label list " + labels + " is not in the canonical order: expected " + set.labels);
    }
    return set;
  }

  /** All labels, index order: {@code O, B-X, I-X, ...}. */
  @JsonValue
  public List<String> labels() {
    return labels;
  }

  /** The entity types in sorted order. */
  public List<String> types() {
    return types;
  }

  /** Number of labels (1 + 2 × types). */
  public int size() {
    return labels.size();
  }

  /** Whether {@code label} is in the set. */
  public boolean contains(String label) {
    return index.containsKey(label);
  }

  /**
   * The index of a label.
   *
   * @throws IllegalArgumentException naming the label and the known labels
   */
  public int encode(String label) {
    Objects.requireNonNull(label, "label");
    Integer i = index.get(label);
    if (i == null) {
      throw new IllegalArgumentException(
          "unknown label '" + label + "': this label set has " + labels);
    }
    return i;
  }

  /** The indices of a tag sequence. */
  public int[] encode(List<String> tags) {
    Objects.requireNonNull(tags, "tags");
    int[] out = new int[tags.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = encode(tags.get(i));
    }
    return out;
  }

  /**
   * The label at {@code index}.
   *
   * @throws IndexOutOfBoundsException when the index is not in {@code [0, size())}
   */
  public String decode(int index) {
    if (index < 0 || index >= labels.size()) {
      throw new IndexOutOfBoundsException(
          "label index " + index + " outside [0, " + labels.size() + ") of " + labels);
    }
    return labels.get(index);
  }

  /** The labels of an index sequence. */
  public List<String> decode(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    List<String> out = new ArrayList<>(indices.length);
    for (int i : indices) {
      out.add(decode(i));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelSet other && labels.equals(other.labels);
  }

  @Override
  public int hashCode() {
    return labels.hashCode();
  }

  @Override
  public String toString() {
    return "LabelSet" + labels;
  }
}
