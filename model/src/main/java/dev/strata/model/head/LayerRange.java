package dev.strata.model.head;

/**
 * Which hidden states enter the fusion, as an inclusive range of state indices (0 = embedding
 * output, L = last layer).
 *
 * @param first first fused state
 * @param last last fused state (inclusive)
 */
public record LayerRange(int first, int last) {

  public LayerRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "layerRange must satisfy 0 <= first <= last, got [" + first + ", " + last + "]");
    }
  }

  /** All {@code states} states: {@code [0, states - 1]}. */
  public static LayerRange all(int states) {
    return new LayerRange(0, states - 1);
  }

  /** Number of fused states S. */
  public int size() {
    return last - first + 1;
  }

  /** Whether this range covers exactly the states {@code [0, states - 1]}. */
  public boolean coversAll(int states) {
    return first == 0 && last == states - 1;
  }
}
