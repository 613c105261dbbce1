package dev.strata.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Encoder states and labels held on the Java heap; for tests and small data sets. */
public final class InMemoryFeatureSource implements FeatureBatchSource {

  /**
   * One example.
   *
   * @param states {@code [T][L+1][H]}
   * @param tokenLabels {@code [T]} with -1 for no label, or {@code null}
   * @param sequenceLabel the sequence label, or -1 for none
   */
  public record Example(float[][][] states, int[] tokenLabels, int sequenceLabel) {
    public Example {
      Objects.requireNonNull(states, "states");
      if (states.length == 0) {
        throw new IllegalArgumentException("an example needs at least one token");
      }
      if (tokenLabels != null && tokenLabels.length != states.length) {
        throw new IllegalArgumentException(
            "tokenLabels has " + tokenLabels.length + " entries for " + states.length + " tokens");
      }
    }
  }

  private final int stateCount;
  private final int hidden;
  private final boolean tokenLabels;
  private final boolean sequenceLabels;
  private final List<Example> examples;

  private InMemoryFeatureSource(List<Example> examples) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("examples must not be empty");
    }
    Example first = examples.get(0);
    this.stateCount = first.states()[0].length;
    this.hidden = first.states()[0][0].length;
    this.tokenLabels = first.tokenLabels() != null;
    this.sequenceLabels = first.sequenceLabel() >= 0;
    for (int i = 0; i < examples.size(); i++) {
      Example e = examples.get(i);
      if (e.states()[0].length != stateCount || e.states()[0][0].length != hidden) {
        throw new IllegalArgumentException(
            "example " + i + " has a different number of states or width than example 0");
      }
      if ((e.tokenLabels() != null) != tokenLabels || (e.sequenceLabel() >= 0) != sequenceLabels) {
        throw new IllegalArgumentException(
            "example " + i + " carries different kinds of labels than example 0");
      }
    }
    this.examples = List.copyOf(examples);
  }

  /** A source over {@code examples}, which must agree in states, width and kinds of labels. */
  public static InMemoryFeatureSource of(List<Example> examples) {
    return new InMemoryFeatureSource(new ArrayList<>(Objects.requireNonNull(examples, "examples")));
  }

  @Override
  public int size() {
    return examples.size();
  }

  /** The example at {@code index}. */
  public Example example(int index) {
    return examples.get(index);
  }

  @Override
  public FeatureBatch batch(NDManager manager, int[] indices) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(indices, "indices");
    int n = indices.length;
    int t = 0;
    for (int i : indices) {
      t = Math.max(t, examples.get(i).states().length);
    }
    int sh = stateCount * hidden;
    float[] states = new float[n * t * sh];
    float[] mask = new float[n * t];
    long[] tokens = new long[n * t];
    long[] seq = new long[n];
    java.util.Arrays.fill(tokens, -1L);
    for (int r = 0; r < n; r++) {
      Example e = examples.get(indices[r]);
      for (int j = 0; j < e.states().length; j++) {
        mask[r * t + j] = 1f;
        for (int s = 0; s < stateCount; s++) {
          System.arraycopy(e.states()[j][s], 0, states, (r * t + j) * sh + s * hidden, hidden);
        }
        if (tokenLabels) {
          tokens[r * t + j] = e.tokenLabels()[j];
        }
      }
      seq[r] = e.sequenceLabel();
    }
    NDArray statesArray = manager.create(states, new Shape(n, t, stateCount, hidden));
    NDArray maskArray = manager.create(mask, new Shape(n, t));
    NDArray tokenArray = tokenLabels ? manager.create(tokens, new Shape(n, t)) : null;
    NDArray seqArray = sequenceLabels ? manager.create(seq, new Shape(n)) : null;
    return new FeatureBatch(statesArray, maskArray, tokenArray, seqArray);
  }
}
