package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * What a {@link FusionModel} gives for one batch. Arrays belong to the batch's manager.
 *
 * @param features per-token features {@code [N, T, H]}
 * @param tokenLogits {@code [N, T, C_token]}, or {@code null} without a token classifier
 * @param sequenceLogits {@code [N, C_seq]} from the [CLS] position, or {@code null} without a
 *     sequence classifier
 * @param layerWeights {@code [N, T, S]} for DWAtt and scalar mix, else {@code null}
 */
public record FusionOutput(
    NDArray features, NDArray tokenLogits, NDArray sequenceLogits, NDArray layerWeights) {

  public FusionOutput {
    Objects.requireNonNull(features, "features");
  }
}
