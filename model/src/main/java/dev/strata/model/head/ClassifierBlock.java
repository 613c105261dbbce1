package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/** Dropout then Linear(H → C) over the last axis: {@code [..., H] → [..., C]}. */
public final class ClassifierBlock extends AbstractBlock {
  private static final byte VERSION = 1;

  private final int hidden;
  private final int classes;
  private final float dropout;
  private final Parameter weight;
  private final Parameter bias;

  ClassifierBlock(int hidden, int classes, float dropout) {
    super(VERSION);
    if (classes < 1) {
      throw new IllegalArgumentException("a classifier needs at least 1 class, got " + classes);
    }
    this.hidden = hidden;
    this.classes = classes;
    this.dropout = dropout;
    weight =
        addParameter(
            Parameter.builder()
                .setName("weight")
                .setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(classes, hidden))
                .optInitializer(HeadBlock.WEIGHT_INIT)
                .build());
    bias =
        addParameter(
            Parameter.builder()
                .setName("bias")
                .setType(Parameter.Type.BIAS)
                .optShape(new Shape(classes))
                .optInitializer(Initializer.ZEROS)
                .build());
  }

  /** Number of classes C. */
  public int classes() {
    return classes;
  }

  /** Trainable parameters: H·C + C. */
  public long trainableParameters() {
    return HeadBlock.countParameters(this);
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = Dropout.dropout(inputs.singletonOrThrow(), dropout, training).singletonOrThrow();
    return Linear.linear(
        x,
        ps.getValue(weight, x.getDevice(), training),
        ps.getValue(bias, x.getDevice(), training));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {in.slice(0, in.dimension() - 1).add(classes)};
  }

  @Override
  public String toString() {
    return "Classifier(" + hidden + " -> " + classes + ")";
  }
}
