package dev.strata.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.Objects;

/**
 * The hidden states of every layer for one batch: {@code states().get(n)} is z_n with shape {@code
 * [B, T, H]} (n = 0 is the embedding output). The arrays belong to the batch's manager; closing
 * this closes them.
 */
public final class HiddenStates implements AutoCloseable {
  private final NDList states;
  private final TokenBatch batch;
  private final NDManager manager;

  HiddenStates(NDList states, TokenBatch batch, NDManager manager) {
    this.states = Objects.requireNonNull(states, "states");
    this.batch = Objects.requireNonNull(batch, "batch");
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  /** z_0 … z_L, each {@code [B, T, H]}. */
  public NDList states() {
    return states;
  }

  /** Number of states (L + 1). */
  public int count() {
    return states.size();
  }

  /** The batch these states belong to. */
  public TokenBatch batch() {
    return batch;
  }

  /** The manager owning the arrays; heads may allocate their temporaries from it. */
  public NDManager manager() {
    return manager;
  }

  /** All states stacked as {@code [B, T, L+1, H]}. */
  public NDArray stacked() {
    return NDArrays.stack(states, 2);
  }

  /** State {@code n} copied to Java arrays {@code [B][T][H]}, padding positions included. */
  public float[][][] toArray(int n) {
    NDArray a = states.get(n);
    long[] s = a.getShape().getShape();
    float[] flat = a.toFloatArray();
    int b = (int) s[0];
    int t = (int) s[1];
    int h = (int) s[2];
    float[][][] out = new float[b][t][h];
    for (int i = 0; i < b; i++) {
      for (int j = 0; j < t; j++) {
        System.arraycopy(flat, (i * t + j) * h, out[i][j], 0, h);
      }
    }
    return out;
  }

  /** L2 norm of every token's vector at every state for one row: {@code [L+1][T]}. */
  public float[][] tokenNorms(int row) {
    float[][] norms = new float[states.size()][];
    for (int n = 0; n < states.size(); n++) {
      try (NDArray v = states.get(n).get(row);
          NDArray norm = v.norm(new int[] {-1})) {
        norms[n] = norm.toFloatArray();
      }
    }
    return norms;
  }

  @Override
  public void close() {
    manager.close();
  }
}
