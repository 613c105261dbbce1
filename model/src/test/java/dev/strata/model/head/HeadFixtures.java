package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Random;

/** Seeded inputs and hand-set weights for head tests. */
final class HeadFixtures {
  private HeadFixtures() {}

  /** Random states {@code [n][t][s][h]} from N(0, 1). */
  static float[][][][] states(Random r, int n, int t, int s, int h) {
    float[][][][] out = new float[n][t][s][h];
    for (float[][][] a : out) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (int i = 0; i < h; i++) {
            c[i] = (float) r.nextGaussian();
          }
        }
      }
    }
    return out;
  }

  static NDArray array(NDManager m, float[][][][] x) {
    int n = x.length;
    int t = x[0].length;
    int s = x[0][0].length;
    int h = x[0][0][0].length;
    float[] flat = new float[n * t * s * h];
    int k = 0;
    for (float[][][] a : x) {
      for (float[][] b : a) {
        for (float[] c : b) {
          for (float v : c) {
            flat[k++] = v;
          }
        }
      }
    }
    return m.create(flat, new Shape(n, t, s, h));
  }

  /** Mask {@code [n, t]} with the first {@code lengths[i]} positions of row i set. */
  static NDArray mask(NDManager m, int t, int... lengths) {
    float[] flat = new float[lengths.length * t];
    for (int i = 0; i < lengths.length; i++) {
      for (int j = 0; j < lengths[i]; j++) {
        flat[i * t + j] = 1f;
      }
    }
    return m.create(flat, new Shape(lengths.length, t));
  }

  /**
   * Overwrites every parameter of {@code block} with seeded values: gammas around 1, betas and
   * biases small, weights N(0, 0.5²), positions uniform [0, 1].
   */
  static void setWeights(Block block, long seed) {
    Random r = new Random(seed);
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray a = p.getValue().getArray();
      float[] v = new float[(int) a.getShape().size()];
      String name = p.getKey();
      for (int i = 0; i < v.length; i++) {
        double g = r.nextGaussian();
        if (name.endsWith("positions")) {
          v[i] = r.nextFloat();
        } else if (p.getValue().getType() == Parameter.Type.GAMMA) {
          v[i] = (float) (1 + 0.2 * g);
        } else if (p.getValue().getType() == Parameter.Type.WEIGHT) {
          v[i] = (float) (0.5 * g);
        } else {
          v[i] = (float) (0.1 * g);
        }
      }
      a.set(v);
    }
  }

  /** The values of parameter {@code name} of {@code block}. */
  static float[] values(Block block, String name) {
    return block.getParameters().get(name).getArray().toFloatArray();
  }
}
