package dev.strata.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;

/** A copy of a block's parameter values on the Java heap, restorable in place. */
final class WeightSnapshot {
  private final Map<String, float[]> values = new LinkedHashMap<>();

  private WeightSnapshot() {}

  /** Copies every parameter of {@code block}. */
  static WeightSnapshot of(Block block) {
    WeightSnapshot s = new WeightSnapshot();
    for (Pair<String, Parameter> p : block.getParameters()) {
      s.values.put(p.getKey(), p.getValue().getArray().toFloatArray());
    }
    return s;
  }

  /** Writes the copied values back into {@code block}'s arrays (same arrays, same gradients). */
  void restore(Block block) {
    for (Pair<String, Parameter> p : block.getParameters()) {
      float[] v = values.get(p.getKey());
      if (v == null) {
        throw new IllegalStateException("snapshot has no parameter " + p.getKey());
      }
      NDArray a = p.getValue().getArray();
      a.set(v);
    }
  }
}
