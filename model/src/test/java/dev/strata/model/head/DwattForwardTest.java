package dev.strata.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DWAtt's NDArray forward pass against the equations written out in plain Java for one token. */
class DwattForwardTest {
  static final BackboneShape B = HeadParameterCountTest.SMALL;
  static final int S = 4;
  static final int H = 8;
  static final int G = 4;
  static final float EPS = 1e-5f;

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void oneTokenMatchesThePlainJavaComputation(boolean scale) {
    HeadConfig c = HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(scale).build();
    try (NDManager m = NDManager.newBaseManager()) {
      DwattHead head = (DwattHead) Heads.create(c, B);
      head.initialize(
          m,
          ai.djl.ndarray.types.DataType.FLOAT32,
          new ai.djl.ndarray.types.Shape(1, 1, S, H),
          new ai.djl.ndarray.types.Shape(1, 1));
      HeadFixtures.setWeights(head, 5);
      float[][][][] x = HeadFixtures.states(new Random(9), 2, 3, S, H);
      HeadOutput out =
          head.fuse(
              new ParameterStore(m, false),
              HeadFixtures.array(m, x),
              HeadFixtures.mask(m, 3, 3, 2),
              false);
      float[] got = out.features().get("1, 1, :").toFloatArray();
      float[] gotWeights = out.layerWeights().get("1, 1, :").toFloatArray();

      double[] a = new double[S];
      double[] expected = reference(head, x[1][1], scale, a);
      for (int j = 0; j < H; j++) {
        assertThat((double) got[j]).as("dim %d", j).isCloseTo(expected[j], within(1e-4));
      }
      for (int n = 0; n < S; n++) {
        assertThat((double) gotWeights[n]).as("a_%d", n).isCloseTo(a[n], within(1e-5));
      }
    }
  }

  /** h for one token z [S][H]; fills {@code weightsOut} with a. */
  static double[] reference(DwattHead head, float[][] z, boolean scale, double[] weightsOut) {
    float[] up = HeadFixtures.values(head, "valueUp"); // [S, H, G]
    float[] upB = HeadFixtures.values(head, "valueUpBias"); // [S, 1, G]
    float[] midG = HeadFixtures.values(head, "valueMidGamma");
    float[] midB = HeadFixtures.values(head, "valueMidBeta");
    float[] down = HeadFixtures.values(head, "valueDown"); // [S, G, H]
    float[] downB = HeadFixtures.values(head, "valueDownBias");
    float[] normG = HeadFixtures.values(head, "valueNormGamma");
    float[] normB = HeadFixtures.values(head, "valueNormBeta");
    double[][] v = new double[S][];
    for (int n = 0; n < S; n++) {
      double[] u = new double[G];
      for (int k = 0; k < G; k++) {
        double sum = upB[n * G + k];
        for (int i = 0; i < H; i++) {
          sum += z[n][i] * up[(n * H + i) * G + k];
        }
        u[k] = gelu(sum);
      }
      u = layerNorm(u, midG, midB, n * G);
      double[] d = new double[H];
      for (int j = 0; j < H; j++) {
        double sum = downB[n * H + j];
        for (int k = 0; k < G; k++) {
          sum += u[k] * down[(n * G + k) * H + j];
        }
        d[j] = sum;
      }
      v[n] = layerNorm(d, normG, normB, n * H);
    }

    float[] zl = z[S - 1];
    float[] qu = HeadFixtures.values(head, "queryUp"); // [G, H]
    float[] quB = HeadFixtures.values(head, "queryUpBias");
    float[] qd = HeadFixtures.values(head, "queryDown"); // [H, G]
    float[] qdB = HeadFixtures.values(head, "queryDownBias");
    double[] u = new double[G];
    for (int k = 0; k < G; k++) {
      double sum = quB[k];
      for (int i = 0; i < H; i++) {
        sum += zl[i] * qu[k * H + i];
      }
      u[k] = gelu(sum);
    }
    u =
        layerNorm(
            u,
            HeadFixtures.values(head, "queryMidGamma"),
            HeadFixtures.values(head, "queryMidBeta"),
            0);
    double[] d = new double[H];
    for (int j = 0; j < H; j++) {
      double sum = qdB[j];
      for (int k = 0; k < G; k++) {
        sum += u[k] * qd[j * G + k];
      }
      d[j] = sum;
    }
    double[] fq =
        layerNorm(
            d,
            HeadFixtures.values(head, "queryNormGamma"),
            HeadFixtures.values(head, "queryNormBeta"),
            0);
    double[] q = new double[H];
    for (int j = 0; j < H; j++) {
      double x = zl[j] + fq[j];
      q[j] = 1 + (x > 0 ? x : Math.exp(x) - 1);
    }

    float[] p = HeadFixtures.values(head, "positions"); // [S, 24]
    float[] wk = HeadFixtures.values(head, "keyProjection"); // [H, 24]
    double[] logits = new double[S];
    double max = Double.NEGATIVE_INFINITY;
    for (int n = 0; n < S; n++) {
      double dot = 0;
      for (int j = 0; j < H; j++) {
        double k = 0;
        for (int e = 0; e < 24; e++) {
          k += wk[j * 24 + e] * p[n * 24 + e];
        }
        dot += q[j] * k;
      }
      logits[n] = scale ? dot / Math.sqrt(H) : dot;
      max = Math.max(max, logits[n]);
    }
    double total = 0;
    for (int n = 0; n < S; n++) {
      weightsOut[n] = Math.exp(logits[n] - max);
      total += weightsOut[n];
    }
    double[] h = new double[H];
    for (int j = 0; j < H; j++) {
      h[j] = zl[j];
    }
    for (int n = 0; n < S; n++) {
      weightsOut[n] /= total;
      for (int j = 0; j < H; j++) {
        h[j] += weightsOut[n] * v[n][j];
      }
    }
    return h;
  }

  static double[] layerNorm(double[] x, float[] gamma, float[] beta, int offset) {
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (double v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double[] out = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (x[i] - mean) / Math.sqrt(var + EPS) * gamma[offset + i] + beta[offset + i];
    }
    return out;
  }

  static double gelu(double x) {
    return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
  }

  /** erf by its Maclaurin series (|x| small) or continued fraction tail; 1e-12 here. */
  static double erf(double x) {
    double ax = Math.abs(x);
    if (ax > 6) {
      return Math.signum(x);
    }
    // series: erf(x) = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
    double sum = 0;
    double term = ax;
    for (int n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= -ax * ax / (n + 1);
      if (Math.abs(term) < 1e-17) {
        break;
      }
    }
    return Math.signum(x) * 2 / Math.sqrt(Math.PI) * sum;
  }
}
