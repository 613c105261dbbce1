package dev.strata.model.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Measures fp32 matrix-product throughput of the engine on this machine, as a ceiling. */
public final class GemmPeak {
  private GemmPeak() {}

  /**
   * GFLOP/s of an {@code n x n x n} product, one sample per repetition.
   *
   * @param n matrix size (1024 is large enough to be compute-bound)
   * @param reps timed repetitions after two warm-up products
   */
  public static double[] measure(int n, int reps) {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.randomUniform(-1, 1, new Shape(n, n));
      NDArray b = m.randomUniform(-1, 1, new Shape(n, n));
      for (int i = 0; i < 2; i++) {
        a.matMul(b).close();
      }
      double flops = 2.0 * n * n * n;
      double[] out = new double[reps];
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        try (NDArray c = a.matMul(b)) {
          c.getFloat(0, 0); // force completion (CPU ops are synchronous; a GPU would not be)
        }
        out[r] = flops / (System.nanoTime() - t0);
      }
      return out;
    }
  }
}
