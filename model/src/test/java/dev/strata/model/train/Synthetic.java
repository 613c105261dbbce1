package dev.strata.model.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic tasks with known answers for training tests. */
final class Synthetic {
  private Synthetic() {}

  /**
   * Each token's label is the state (0..s-1) that carries a fixed signal direction; all states
   * carry N(0, 1) noise. The sequence label is the first token's label. Only a head that looks at
   * every layer can solve it; {@code last} sees the signal only when it is in z_L.
   */
  static InMemoryFeatureSource whichLayer(long seed, int examples, int tokens, int s, int h) {
    Random r = new Random(seed);
    float[] signal = direction(new Random(1234), h, 4f);
    List<InMemoryFeatureSource.Example> out = new ArrayList<>();
    for (int e = 0; e < examples; e++) {
      float[][][] states = noise(r, tokens, s, h);
      int[] labels = new int[tokens];
      for (int t = 0; t < tokens; t++) {
        labels[t] = r.nextInt(s);
        for (int i = 0; i < h; i++) {
          states[t][labels[t]][i] += signal[i];
        }
      }
      out.add(new InMemoryFeatureSource.Example(states, labels, labels[0]));
    }
    return InMemoryFeatureSource.of(out);
  }

  /**
   * Token label = argmax of the first three dimensions of z_L, a linear task on the last layer;
   * lengths vary from 2 to {@code tokens}, and the first position is unlabelled (like [CLS]).
   */
  static InMemoryFeatureSource lastLayerArgmax(long seed, int examples, int tokens, int s, int h) {
    Random r = new Random(seed);
    List<InMemoryFeatureSource.Example> out = new ArrayList<>();
    for (int e = 0; e < examples; e++) {
      int len = 2 + r.nextInt(tokens - 1);
      float[][][] states = noise(r, len, s, h);
      int[] labels = new int[len];
      labels[0] = -1;
      for (int t = 1; t < len; t++) {
        float[] z = states[t][s - 1];
        int best = 0;
        for (int c = 1; c < 3; c++) {
          if (z[c] > z[best]) {
            best = c;
          }
        }
        labels[t] = best;
      }
      out.add(new InMemoryFeatureSource.Example(states, labels, -1));
    }
    return InMemoryFeatureSource.of(out);
  }

  private static float[][][] noise(Random r, int tokens, int s, int h) {
    float[][][] x = new float[tokens][s][h];
    for (float[][] a : x) {
      for (float[] b : a) {
        for (int i = 0; i < h; i++) {
          b[i] = (float) r.nextGaussian();
        }
      }
    }
    return x;
  }

  private static float[] direction(Random r, int h, float norm) {
    float[] v = new float[h];
    double sq = 0;
    for (int i = 0; i < h; i++) {
      v[i] = (float) r.nextGaussian();
      sq += v[i] * v[i];
    }
    for (int i = 0; i < h; i++) {
      v[i] *= (float) (norm / Math.sqrt(sq));
    }
    return v;
  }
}
