package dev.strata.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One batch of cached encoder states with labels. All arrays belong to the manager the batch was
 * made in; closing that manager frees them.
 *
 * @param states {@code [N, T, L+1, H]} float32
 * @param mask {@code [N, T]} float32, 1 for tokens and 0 for padding
 * @param tokenLabels {@code [N, T]} int64, -1 where no label applies (padding, special tokens,
 *     continuation sub-tokens), or {@code null}
 * @param sequenceLabels {@code [N]} int64, or {@code null}
 */
public record FeatureBatch(
    NDArray states, NDArray mask, NDArray tokenLabels, NDArray sequenceLabels) {

  public FeatureBatch {
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(mask, "mask");
    Shape s = states.getShape();
    if (s.dimension() != 4 || states.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException(
          "states must be float32 [N, T, L+1, H], got " + states.getDataType() + " " + s);
    }
    Shape nt = s.slice(0, 2);
    check("mask", mask, DataType.FLOAT32, nt);
    if (tokenLabels != null) {
      check("tokenLabels", tokenLabels, DataType.INT64, nt);
    }
    if (sequenceLabels != null) {
      check("sequenceLabels", sequenceLabels, DataType.INT64, new Shape(s.get(0)));
    }
  }

  private static void check(String name, NDArray a, DataType type, Shape shape) {
    if (a.getDataType() != type || !a.getShape().equals(shape)) {
      throw new IllegalArgumentException(
          name
              + " must be "
              + type
              + " "
              + shape
              + ", got "
              + a.getDataType()
              + " "
              + a.getShape());
    }
  }

  /** Number of examples N. */
  public int size() {
    return (int) states.getShape().get(0);
  }

  /** Padded length T. */
  public int length() {
    return (int) states.getShape().get(1);
  }
}
