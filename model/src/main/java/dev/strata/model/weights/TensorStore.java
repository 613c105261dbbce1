package dev.strata.model.weights;

import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * Read access to the named tensors of one checkpoint, with canonical names and layouts (see {@link
 * Tensor}). Implementations may memory-map their file; {@link #close()} releases it, after which
 * tensors obtained earlier must not be used.
 */
public interface TensorStore extends AutoCloseable {

  /** Where the tensors come from (a file path, or {@code jar!entry}), for error messages. */
  String source();

  /** Canonical names of all tensors in this store. */
  Set<String> names();

  /**
   * The tensor with this canonical name.
   *
   * @throws WeightFileException naming {@link #source()} and the tensor if it is absent or
   *     unreadable
   */
  Tensor tensor(String name);

  /** The tensor with this name, checked against the expected shape (error names both shapes). */
  default Tensor tensor(String name, long... expectedShape) {
    return tensor(name).requireShape(source(), expectedShape);
  }

  /**
   * The tensor's bytes as stored, when they are little-endian float32 in memory this store keeps
   * (e.g. a memory-mapped file): lets a CPU engine use the weights without copying them. The buffer
   * is valid while this store is open and must not be written to. Empty when the tensor needs
   * conversion (other dtypes, transposed layouts).
   */
  default Optional<ByteBuffer> float32Bytes(String name) {
    return Optional.empty();
  }

  @Override
  void close();
}
