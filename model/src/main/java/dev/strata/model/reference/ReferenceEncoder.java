package dev.strata.model.reference;

import dev.strata.model.encoder.TokenBatch;

/**
 * A third-party runtime that runs a pretrained encoder as published, used to check our own encoder
 * layer by layer.
 *
 * <p>Inputs are a padded batch: {@code ids[b][t]} token ids and {@code mask[b][t]} (1 for a real
 * token, 0 for padding), every row of the same length T. Token type ids are all 0. Outputs are
 * indexed {@code [state][b][t][h]}, where state 0 is the embedding LayerNorm output and state
 * {@code i} the output of layer {@code i}.
 *
 * <p>Implementations hold native memory: close them once done.
 */
public interface ReferenceEncoder extends AutoCloseable {

  /** Name and version of the runtime, for reports, e.g. {@code onnxruntime 1.20.0}. */
  String runtimeName();

  /** Number of hidden states returned by {@link #allLayers}: layers L plus the embeddings. */
  int states();

  /**
   * Every hidden state for a padded batch.
   *
   * @return {@code [L+1][B][T][H]}
   * @throws IllegalArgumentException if the batch is empty, ragged, or longer than the runtime
   *     accepts
   */
  float[][][][] allLayers(int[][] ids, int[][] mask);

  /**
   * Only the last hidden state, without fetching the other layers: for throughput runs.
   *
   * @return {@code [B][T][H]}
   * @throws IllegalArgumentException if the batch is empty, ragged, or longer than the runtime
   *     accepts
   */
  float[][][] lastLayer(int[][] ids, int[][] mask);

  /** Releases the runtime's native resources. */
  @Override
  void close();

  /** The token ids of our encoder's batch as the {@code ids[b][t]} this interface takes. */
  static int[][] ids(TokenBatch batch) {
    return rows(batch.ids(), batch.size(), batch.seqLen());
  }

  /** The mask of our encoder's batch as the {@code mask[b][t]} this interface takes. */
  static int[][] mask(TokenBatch batch) {
    return rows(batch.mask(), batch.size(), batch.seqLen());
  }

  private static int[][] rows(long[] flat, int rows, int cols) {
    int[][] out = new int[rows][cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        out[i][j] = (int) flat[i * cols + j];
      }
    }
    return out;
  }
}
