package dev.strata.model.weights;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One named float32 tensor of a checkpoint, in row-major order.
 *
 * <p>Names and layouts are canonical (Hugging Face BERT): {@code embeddings.word_embeddings.weight}
 * is {@code [vocab, hidden]}; every linear {@code weight} is {@code [out, in]} as in {@code
 * torch.nn.Linear}; LayerNorm parameters are {@code weight}/{@code bias}. Readers of other formats
 * (TF kernels, ONNX MatMul initializers, both {@code [in, out]}) convert to this layout.
 *
 * @param name canonical name
 * @param shape dimensions, outermost first
 * @param data the values; position 0 is the first element, limit is the element count. May be a
 *     view of a memory-mapped file: treat as read-only.
 */
public record Tensor(String name, long[] shape, FloatBuffer data) {
  public Tensor {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(data, "data");
    shape = shape.clone();
    long n = numel(shape);
    if (data.remaining() != n) {
      throw new IllegalArgumentException(
          "tensor '"
              + name
              + "' has shape "
              + Arrays.toString(shape)
              + " ("
              + n
              + " values) but its data holds "
              + data.remaining()
              + " values");
    }
  }

  /** Number of elements of a shape. */
  public static long numel(long[] shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** Number of elements. */
  public long numel() {
    return numel(shape);
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** Copies the values into a new array. */
  public float[] toArray() {
    float[] out = new float[(int) numel()];
    data.duplicate().get(out);
    return out;
  }

  /**
   * Throws a {@link WeightFileException} naming both shapes unless this tensor has the expected
   * shape.
   */
  public Tensor requireShape(String file, long... expected) {
    if (!Arrays.equals(shape, expected)) {
      throw new WeightFileException(
          file,
          name,
          "shape mismatch: expected "
              + Arrays.toString(expected)
              + " but the file has "
              + Arrays.toString(shape));
    }
    return this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t
        && name.equals(t.name)
        && Arrays.equals(shape, t.shape)
        && data.equals(t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape));
  }

  @Override
  public String toString() {
    return "Tensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}
