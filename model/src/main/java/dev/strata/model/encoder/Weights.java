package dev.strata.model.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.weights.Tensor;
import dev.strata.model.weights.TensorStore;

/** Copies checkpoint tensors into NDArrays of one manager, checking every shape on the way. */
final class Weights {
  private final TensorStore store;
  private final NDManager manager;

  Weights(TensorStore store, NDManager manager) {
    this.store = store;
    this.manager = manager;
  }

  /** The tensor {@code name}, which must have {@code shape}. */
  float[] floats(String name, long... shape) {
    Tensor t = store.tensor(name, shape);
    return t.toArray();
  }

  NDArray array(String name, long... shape) {
    return create(floats(name, shape), shape);
  }

  NDArray create(float[] values, long... shape) {
    NDArray a = manager.create(values, new Shape(shape));
    a.setName("weight");
    return a;
  }
}
