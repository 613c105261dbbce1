package dev.strata.model.weights;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the checkpoint readers ({@link SafetensorsReader}, {@link OnnxReader}, {@link
 * TfBundleReader}) share: looking up an entry by canonical name, checking a tensor's byte count
 * against its shape, and turning an {@code [in, out]} kernel into the canonical {@code [out, in]}.
 */
final class StoredTensors {
  private StoredTensors() {}

  /**
   * The entry stored under a canonical name.
   *
   * @param missing the problem to report when it is absent, a format with one {@code %d}: the
   *     number of tensors present
   * @throws WeightFileException naming {@code source} and the tensor if there is no such entry
   */
  static <E> E entry(Map<String, E> entries, String source, String name, String missing) {
    Objects.requireNonNull(name, "name");
    E e = entries.get(name);
    if (e == null) {
      throw new WeightFileException(
          source, name, String.format(Locale.ROOT, missing, entries.size()));
    }
    return e;
  }

  /** The error for a tensor whose stored byte count does not fit its shape and element type. */
  static WeightFileException wrongByteCount(
      String source, String name, long heldBytes, long[] shape, Object elementType, long needed) {
    return new WeightFileException(
        source,
        name,
        "holds "
            + heldBytes
            + " bytes but shape "
            + Arrays.toString(shape)
            + " of "
            + elementType
            + " needs "
            + needed);
  }

  /** A kernel stored row-major {@code [in, out]} as the canonical {@code [out, in]} (a copy). */
  static Tensor fromInOut(String name, long[] inOutShape, FloatBuffer inOut) {
    int in = (int) inOutShape[0];
    int out = (int) inOutShape[1];
    return new Tensor(name, new long[] {out, in}, FloatBuffer.wrap(transpose(inOut, in, out)));
  }

  /** Transposes a row-major {@code [rows, cols]} matrix. */
  static float[] transpose(FloatBuffer src, int rows, int cols) {
    float[] a = new float[rows * cols];
    src.duplicate().get(a);
    float[] t = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[base + c];
      }
    }
    return t;
  }
}
