package dev.strata.model.weights;

import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Tensors held on the Java heap: for converted weights, tests and heads built in memory. */
public final class InMemoryTensorStore implements TensorStore {
  private final String source;
  private final Map<String, Tensor> tensors;

  private InMemoryTensorStore(String source, Map<String, Tensor> tensors) {
    this.source = source;
    this.tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
  }

  /** A store over the given tensors, keyed by their names. */
  public static InMemoryTensorStore of(String source, Iterable<Tensor> tensors) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(tensors, "tensors");
    Map<String, Tensor> map = new LinkedHashMap<>();
    for (Tensor t : tensors) {
      if (map.put(t.name(), t) != null) {
        throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "' in " + source);
      }
    }
    return new InMemoryTensorStore(source, map);
  }

  /** A tensor over a copy of {@code values}. */
  public static Tensor tensor(String name, float[] values, long... shape) {
    return new Tensor(name, shape, FloatBuffer.wrap(values.clone()));
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Set<String> names() {
    return tensors.keySet();
  }

  @Override
  public Tensor tensor(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new WeightFileException(
          source, name, "no such tensor (" + tensors.size() + " present)");
    }
    return new Tensor(t.name(), t.shape(), t.data().duplicate());
  }

  @Override
  public void close() {}
}
