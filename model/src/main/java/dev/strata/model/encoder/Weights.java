package dev.strata.model.encoder;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.weights.Tensor;
import dev.strata.model.weights.TensorStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns checkpoint tensors into NDArrays of one manager, checking every shape on the way.
 *
 * <p>On the CPU, tensors that the store holds as little-endian float32 in memory (the memory-mapped
 * safetensors cache) are wrapped without a copy: the engine reads the file's pages directly, so the
 * weights are resident once, not twice. The wrapped buffers are kept in {@link #pinned()} so the
 * mapping outlives every array built on it; the owner must keep that list as long as the arrays.
 * Tensors that need changing (fused, scaled) and every tensor on a GPU are copied.
 */
final class Weights {
  private final TensorStore store;
  private final NDManager manager;
  private final boolean zeroCopy;
  private final List<ByteBuffer> pinned = new ArrayList<>();

  Weights(TensorStore store, NDManager manager) {
    this.store = store;
    this.manager = manager;
    this.zeroCopy =
        Device.Type.CPU.equals(manager.getDevice().getDeviceType())
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
  }

  /** The tensor {@code name}, which must have {@code shape}, copied to a Java array. */
  float[] floats(String name, long... shape) {
    Tensor t = store.tensor(name, shape);
    return t.toArray();
  }

  /** The tensor {@code name}, which must have {@code shape}, as an array of the manager. */
  NDArray array(String name, long... shape) {
    Tensor t = store.tensor(name, shape);
    if (zeroCopy) {
      Optional<ByteBuffer> bytes = store.float32Bytes(name);
      if (bytes.isPresent()) {
        ByteBuffer b = bytes.get();
        pinned.add(b);
        return manager.create(b, new Shape(shape), DataType.FLOAT32);
      }
    }
    return create(t.toArray(), shape);
  }

  NDArray create(float[] values, long... shape) {
    return manager.create(values, new Shape(shape));
  }

  /** Buffers the arrays of this manager read from; keep them reachable while the arrays live. */
  List<ByteBuffer> pinned() {
    return pinned;
  }
}
