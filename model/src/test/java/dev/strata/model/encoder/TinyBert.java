package dev.strata.model.encoder;

import dev.strata.model.weights.InMemoryTensorStore;
import dev.strata.model.weights.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny BERT with seeded random weights and a plain-Java forward pass written straight from the
 * equations, to check the NDArray encoder against.
 */
public final class TinyBert {
  public final BertConfig config;
  public final InMemoryTensorStore store;

  public TinyBert(BertConfig config, long seed) {
    this.config = config;
    Random r = new Random(seed);
    List<Tensor> ts = new ArrayList<>();
    int h = config.hidden();
    int f = config.intermediate();
    add(ts, r, "embeddings.word_embeddings.weight", 1f, config.vocabSize(), h);
    add(ts, r, "embeddings.position_embeddings.weight", 1f, config.maxPositions(), h);
    add(ts, r, "embeddings.token_type_embeddings.weight", 1f, config.typeVocabSize(), h);
    addNorm(ts, r, "embeddings.LayerNorm", h);
    for (int i = 0; i < config.layers(); i++) {
      String p = "encoder.layer." + i + ".";
      for (String n : new String[] {"query", "key", "value"}) {
        addLinear(ts, r, p + "attention.self." + n, h, h);
      }
      addLinear(ts, r, p + "attention.output.dense", h, h);
      addNorm(ts, r, p + "attention.output.LayerNorm", h);
      addLinear(ts, r, p + "intermediate.dense", f, h);
      addLinear(ts, r, p + "output.dense", h, f);
      addNorm(ts, r, p + "output.LayerNorm", h);
    }
    this.store = InMemoryTensorStore.of("tiny-bert(seed " + seed + ")", ts);
  }

  private static void add(List<Tensor> ts, Random r, String name, float scale, int... dims) {
    long[] shape = new long[dims.length];
    int n = 1;
    for (int i = 0; i < dims.length; i++) {
      shape[i] = dims[i];
      n *= dims[i];
    }
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (r.nextGaussian() * scale);
    }
    ts.add(InMemoryTensorStore.tensor(name, v, shape));
  }

  private static void addLinear(List<Tensor> ts, Random r, String name, int out, int in) {
    add(ts, r, name + ".weight", (float) (1 / Math.sqrt(in)), out, in);
    add(ts, r, name + ".bias", 0.1f, out);
  }

  private static void addNorm(List<Tensor> ts, Random r, String name, int h) {
    float[] g = new float[h];
    for (int i = 0; i < h; i++) {
      g[i] = 1f + (float) (r.nextGaussian() * 0.1);
    }
    ts.add(InMemoryTensorStore.tensor(name + ".weight", g, h));
    add(ts, r, name + ".bias", 0.1f, h);
  }

  private float[] w(String name) {
    return store.tensor(name).toArray();
  }

  /** States z_0..z_L for one unpadded sequence: [L+1][T][H]. */
  double[][][] forward(int[] ids) {
    int t = ids.length;
    int h = config.hidden();
    double[][][] states = new double[config.states()][][];
    float[] word = w("embeddings.word_embeddings.weight");
    float[] pos = w("embeddings.position_embeddings.weight");
    float[] type = w("embeddings.token_type_embeddings.weight");
    double[][] x = new double[t][h];
    for (int i = 0; i < t; i++) {
      for (int j = 0; j < h; j++) {
        x[i][j] = word[ids[i] * h + j] + pos[i * h + j] + type[j];
      }
    }
    x = layerNorm(x, "embeddings.LayerNorm");
    states[0] = x;
    for (int l = 0; l < config.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      double[][] q = linear(x, p + "attention.self.query");
      double[][] k = linear(x, p + "attention.self.key");
      double[][] v = linear(x, p + "attention.self.value");
      int nh = config.heads();
      int d = config.headSize();
      double[][] ctx = new double[t][h];
      for (int head = 0; head < nh; head++) {
        for (int i = 0; i < t; i++) {
          double[] s = new double[t];
          double max = Double.NEGATIVE_INFINITY;
          for (int j = 0; j < t; j++) {
            double dot = 0;
            for (int e = 0; e < d; e++) {
              dot += q[i][head * d + e] * k[j][head * d + e];
            }
            s[j] = dot / Math.sqrt(d);
            max = Math.max(max, s[j]);
          }
          double sum = 0;
          for (int j = 0; j < t; j++) {
            s[j] = Math.exp(s[j] - max);
            sum += s[j];
          }
          for (int j = 0; j < t; j++) {
            for (int e = 0; e < d; e++) {
              ctx[i][head * d + e] += s[j] / sum * v[j][head * d + e];
            }
          }
        }
      }
      double[][] a = add(linear(ctx, p + "attention.output.dense"), x);
      double[][] h1 = layerNorm(a, p + "attention.output.LayerNorm");
      double[][] inner = linear(h1, p + "intermediate.dense");
      for (double[] row : inner) {
        for (int j = 0; j < row.length; j++) {
          row[j] = gelu(row[j]);
        }
      }
      double[][] o = add(linear(inner, p + "output.dense"), h1);
      x = layerNorm(o, p + "output.LayerNorm");
      states[l + 1] = x;
    }
    return states;
  }

  private double gelu(double x) {
    if (config.gelu() == GeluVariant.ERF) {
      return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }
    return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
  }

  /** erf to ~1e-15 by its Taylor series (|x| small) or continued fraction complement. */
  static double erf(double x) {
    double ax = Math.abs(x);
    double r;
    if (ax < 3) {
      double sum = 0;
      double term = ax;
      for (int n = 0; n < 200; n++) {
        sum += term / (2 * n + 1);
        term *= -ax * ax / (n + 1);
      }
      r = 2 / Math.sqrt(Math.PI) * sum;
    } else {
      // erfc continued fraction
      double f = 0;
      for (int n = 60; n >= 1; n--) {
        f = n / 2.0 / (ax + f);
      }
      r = 1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
    }
    return x < 0 ? -r : r;
  }

  private double[][] linear(double[][] x, String name) {
    float[] wt = w(name + ".weight");
    float[] b = w(name + ".bias");
    int out = b.length;
    int in = x[0].length;
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int o = 0; o < out; o++) {
        double s = b[o];
        for (int j = 0; j < in; j++) {
          s += wt[o * in + j] * x[i][j];
        }
        y[i][o] = s;
      }
    }
    return y;
  }

  private double[][] layerNorm(double[][] x, String name) {
    float[] g = w(name + ".weight");
    float[] b = w(name + ".bias");
    double[][] y = new double[x.length][x[0].length];
    for (int i = 0; i < x.length; i++) {
      double mean = 0;
      for (double v : x[i]) {
        mean += v;
      }
      mean /= x[i].length;
      double var = 0;
      for (double v : x[i]) {
        var += (v - mean) * (v - mean);
      }
      var /= x[i].length;
      for (int j = 0; j < x[i].length; j++) {
        y[i][j] = (x[i][j] - mean) / Math.sqrt(var + config.layerNormEps()) * g[j] + b[j];
      }
    }
    return y;
  }

  private static double[][] add(double[][] a, double[][] b) {
    double[][] y = new double[a.length][a[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        y[i][j] = a[i][j] + b[i][j];
      }
    }
    return y;
  }
}
