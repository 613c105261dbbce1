package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.Objects;

/**
 * Common ground of the heads: input checks, selection of z_L and of the fused states, parameter
 * registration with explicit shapes and deterministic initialisers, and the parameter count.
 */
abstract class HeadBlock extends AbstractBlock implements FusionHead {
  /** Initialiser of weight matrices: N(0, 0.02), as BERT heads use. */
  static final Initializer WEIGHT_INIT = new NormalInitializer(0.02f);

  /** Epsilon of the LayerNorms the heads own (PyTorch's default). */
  static final float HEAD_EPS = 1e-5f;

  private static final byte VERSION = 1;

  protected final HeadConfig config;
  protected final BackboneShape backbone;
  protected final LayerRange range;

  HeadBlock(HeadConfig config, BackboneShape backbone) {
    super(VERSION);
    this.config = Objects.requireNonNull(config, "config");
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    this.range = config.rangeFor(backbone.states());
  }

  @Override
  public HeadType type() {
    return config.type();
  }

  @Override
  public HeadConfig config() {
    return config;
  }

  @Override
  public BackboneShape backbone() {
    return backbone;
  }

  @Override
  public LayerRange range() {
    return range;
  }

  @Override
  public long trainableParameters() {
    return countParameters(this);
  }

  /** Trainable scalars of any block whose parameters have shapes. */
  static long countParameters(Block block) {
    long n = 0;
    for (Parameter p : block.getParameters().values()) {
      if (p.requiresGradient()) {
        Shape s = p.isInitialized() ? p.getArray().getShape() : p.getShape();
        n += s.size();
      }
    }
    return n;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore,
      NDList inputs,
      boolean training,
      PairList<String, Object> params) {
    return fuse(parameterStore, inputs.get(0), inputs.get(1), training).toList();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    Shape features = new Shape(in.get(0), in.get(1), backbone.hidden());
    if (type().hasLayerWeights()) {
      return new Shape[] {features, new Shape(in.get(0), in.get(1), range.size())};
    }
    return new Shape[] {features};
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, inputShapes);
    }
  }

  /** Registers a parameter with a fixed shape and initialiser. */
  protected Parameter param(String name, Parameter.Type kind, Initializer init, long... shape) {
    return addParameter(parameter(name, kind, init, shape));
  }

  /** A parameter with a fixed shape and initialiser, for a block of the heads to register. */
  static Parameter parameter(String name, Parameter.Type kind, Initializer init, long... shape) {
    return Parameter.builder()
        .setName(name)
        .setType(kind)
        .optShape(new Shape(shape))
        .optInitializer(init)
        .build();
  }

  protected Parameter weight(String name, long... shape) {
    return param(name, Parameter.Type.WEIGHT, WEIGHT_INIT, shape);
  }

  protected Parameter bias(String name, long... shape) {
    return param(name, Parameter.Type.BIAS, Initializer.ZEROS, shape);
  }

  protected Parameter gamma(String name, long... shape) {
    return param(name, Parameter.Type.GAMMA, Initializer.ONES, shape);
  }

  protected Parameter beta(String name, long... shape) {
    return param(name, Parameter.Type.BETA, Initializer.ZEROS, shape);
  }

  /** The value of {@code p} on the device of {@code like}. */
  protected static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
    return ps.getValue(p, like.getDevice(), training);
  }

  /** Checks the input shapes against the backbone and says what was expected. */
  protected void checkInput(NDArray states, NDArray mask) {
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(mask, "mask");
    Shape s = states.getShape();
    if (s.dimension() != 4 || s.get(2) != backbone.states() || s.get(3) != backbone.hidden()) {
      throw new IllegalArgumentException(
          "states must be [N, T, "
              + backbone.states()
              + ", "
              + backbone.hidden()
              + "] for this "
              + type().id()
              + " head, got "
              + s
              + "; feed all L+1 encoder states of the backbone the head was built for");
    }
    Shape m = mask.getShape();
    if (m.dimension() != 2 || m.get(0) != s.get(0) || m.get(1) != s.get(1)) {
      throw new IllegalArgumentException("mask must be [N, T] = " + s.slice(0, 2) + ", got " + m);
    }
  }

  /** z_L, the backbone's last state: {@code [N, T, H]}. */
  protected NDArray top(NDArray states) {
    return states.get(new NDIndex(":, :, {}, :", backbone.layers()));
  }

  /** The fused states {@code [N, T, S, H]}. */
  protected NDArray fused(NDArray states) {
    if (range.coversAll(backbone.states())) {
      return states;
    }
    return states.get(new NDIndex(":, :, {}:{}, :", range.first(), range.last() + 1));
  }
}
