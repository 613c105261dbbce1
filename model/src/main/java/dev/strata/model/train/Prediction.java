package dev.strata.model.train;

/**
 * Predictions for one batch, copied to the Java heap. Padding positions carry label -1 and zero
 * probabilities.
 *
 * @param tokenLabels argmax label per token {@code [N][T]}, or {@code null}
 * @param tokenProbabilities softmax per token {@code [N][T][C]}, or {@code null}
 * @param sequenceLabels argmax label per example {@code [N]}, or {@code null}
 * @param sequenceProbabilities softmax per example {@code [N][C]}, or {@code null}
 * @param layerWeights layer weights {@code [N][T][S]} (DWAtt, scalar mix), or {@code null}
 */
public record Prediction(
    int[][] tokenLabels,
    float[][][] tokenProbabilities,
    int[] sequenceLabels,
    float[][] sequenceProbabilities,
    float[][][] layerWeights) {}
