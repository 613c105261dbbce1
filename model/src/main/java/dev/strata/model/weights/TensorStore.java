package dev.strata.model.weights;

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

  @Override
  void close();
}
