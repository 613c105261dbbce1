package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * What a head gives for one batch.
 *
 * @param features per-token features {@code [N, T, H]}
 * @param layerWeights layer weights {@code [N, T, S]} (DWAtt: per token; scalar mix: its global
 *     weights broadcast), or {@code null} for heads without them
 */
public record HeadOutput(NDArray features, NDArray layerWeights) {

  public HeadOutput {
    Objects.requireNonNull(features, "features");
  }

  /** As a block output: features, then layer weights when present. */
  public NDList toList() {
    NDList out = new NDList(features);
    if (layerWeights != null) {
      out.add(layerWeights);
    }
    return out;
  }
}
