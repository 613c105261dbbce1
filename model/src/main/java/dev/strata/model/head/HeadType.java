package dev.strata.model.head;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The fusion heads, by the short name used in settings, files and benchmark output. */
public enum HeadType {
  /** Classifier on the last layer z_L only: the floor. */
  LAST("last"),
  /** n fresh post-LN transformer layers on z_L: the paper's parameter-matched baseline. */
  DEEPER("deeper"),
  /** Per-token concatenation of the fused states, projected back to H. */
  CONCAT("concat"),
  /** Depth-wise attention over the layers (DWAtt). */
  DWATT("dwatt"),
  /** Softmax-weighted scalar mix of the layers with a global scale (reference). */
  SCALARMIX("scalarmix");

  private final String id;

  HeadType(String id) {
    this.id = id;
  }

  /** The short name ({@code dwatt}, {@code last}, ...). */
  public String id() {
    return id;
  }

  /** Whether the head exposes per-token layer weights {@code [N, T, S]}. */
  public boolean hasLayerWeights() {
    return this == DWATT || this == SCALARMIX;
  }

  /**
   * Whether the head's output at a position depends on the other positions of the sentence (the
   * self-attention of {@code deeper}). The other heads treat every position on its own, so they can
   * be trained on the labelled positions alone ({@link
   * dev.strata.model.data.FeatureCache#wordStarts}).
   */
  public boolean mixesTokens() {
    return this == DEEPER;
  }

  /**
   * The head named {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the allowed values
   */
  public static HeadType parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (HeadType t : values()) {
      if (t.id.equals(n)) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown head type '"
            + name
            + "'; use one of "
            + Arrays.stream(values()).map(HeadType::id).collect(Collectors.joining(", ")));
  }
}
