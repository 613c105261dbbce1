package dev.strata.model.head;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A fusion head with a token classifier (NER), a sequence classifier (on the [CLS] position), or
 * both. Children are registered as {@code head}, {@code token} and {@code sequence}, so DJL's
 * parameter listing, save and load see every weight.
 *
 * <p>As a block: input {@code NDList(states [N, T, L+1, H], mask [N, T])}, output the non-null
 * arrays of {@link FusionOutput} in the order features, token logits, sequence logits, layer
 * weights, each named accordingly.
 */
public final class FusionModel extends AbstractBlock {
  private static final byte VERSION = 1;

  private final FusionHead head;
  private final ClassifierBlock token;
  private final ClassifierBlock sequence;

  private FusionModel(Builder b) {
    super(VERSION);
    this.head = addChildBlock("head", Heads.create(b.config, b.backbone));
    int h = b.backbone.hidden();
    this.token =
        b.tokenClasses > 0
            ? addChildBlock("token", new ClassifierBlock(h, b.tokenClasses, b.config.dropout()))
            : null;
    this.sequence =
        b.sequenceClasses > 0
            ? addChildBlock(
                "sequence", new ClassifierBlock(h, b.sequenceClasses, b.config.dropout()))
            : null;
  }

  /** A builder; set the head config, the backbone shape and at least one classifier. */
  public static Builder builder() {
    return new Builder();
  }

  /** The fusion head. */
  public FusionHead head() {
    return head;
  }

  /** The token classifier, when present. */
  public Optional<ClassifierBlock> tokenClassifier() {
    return Optional.ofNullable(token);
  }

  /** The sequence classifier, when present. */
  public Optional<ClassifierBlock> sequenceClassifier() {
    return Optional.ofNullable(sequence);
  }

  /** Trainable parameters of the head and the classifiers. */
  public long trainableParameters() {
    return HeadBlock.countParameters(this);
  }

  /**
   * Initialises every parameter with fixed-seed random values, in {@code manager} (which the caller
   * keeps open while the model is in use). Sets the engine's process-wide random seed.
   */
  public void initialize(NDManager manager, int seed) {
    Objects.requireNonNull(manager, "manager");
    Engine.getInstance().setRandomSeed(seed);
    BackboneShape b = head.backbone();
    initialize(manager, DataType.FLOAT32, new Shape(1, 1, b.states(), b.hidden()), new Shape(1, 1));
  }

  /**
   * Runs head and classifiers.
   *
   * @param states {@code [N, T, L+1, H]} float32
   * @param mask {@code [N, T]} float32
   */
  public FusionOutput run(
      ParameterStore parameters, NDArray states, NDArray mask, boolean training) {
    Objects.requireNonNull(parameters, "parameters");
    HeadOutput h = head.fuse(parameters, states, mask, training);
    NDArray tokenLogits =
        token == null
            ? null
            : token.forward(parameters, new NDList(h.features()), training).singletonOrThrow();
    NDArray sequenceLogits = null;
    if (sequence != null) {
      NDArray cls = h.features().get(new NDIndex(":, 0, :"));
      sequenceLogits = sequence.forward(parameters, new NDList(cls), training).singletonOrThrow();
    }
    return new FusionOutput(h.features(), tokenLogits, sequenceLogits, h.layerWeights());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
    FusionOutput o = run(ps, inputs.get(0), inputs.get(1), training);
    NDList out = new NDList();
    add(out, o.features(), "features");
    add(out, o.tokenLogits(), "token_logits");
    add(out, o.sequenceLogits(), "sequence_logits");
    add(out, o.layerWeights(), "layer_weights");
    return out;
  }

  private static void add(NDList out, NDArray a, String name) {
    if (a != null) {
      a.setName(name);
      out.add(a);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    long n = in.get(0);
    long t = in.get(1);
    List<Shape> out = new ArrayList<>();
    out.add(new Shape(n, t, head.backbone().hidden()));
    if (token != null) {
      out.add(new Shape(n, t, token.classes()));
    }
    if (sequence != null) {
      out.add(new Shape(n, sequence.classes()));
    }
    if (head.type().hasLayerWeights()) {
      out.add(new Shape(n, t, head.range().size()));
    }
    return out.toArray(new Shape[0]);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    head.initialize(manager, dataType, inputShapes);
    Shape in = inputShapes[0];
    Shape features = new Shape(in.get(0), in.get(1), head.backbone().hidden());
    if (token != null) {
      token.initialize(manager, dataType, features);
    }
    if (sequence != null) {
      sequence.initialize(manager, dataType, new Shape(in.get(0), head.backbone().hidden()));
    }
  }

  /** Builder for {@link FusionModel}; {@code build()} names the missing or bad field. */
  public static final class Builder {
    private HeadConfig config;
    private BackboneShape backbone;
    private int tokenClasses;
    private int sequenceClasses;

    private Builder() {}

    public Builder setHeadConfig(HeadConfig config) {
      this.config = config;
      return this;
    }

    public Builder setBackbone(BackboneShape backbone) {
      this.backbone = backbone;
      return this;
    }

    /** Adds a token classifier with {@code classes} labels. */
    public Builder optTokenClasses(int classes) {
      this.tokenClasses = classes;
      return this;
    }

    /** Adds a sequence classifier with {@code classes} labels. */
    public Builder optSequenceClasses(int classes) {
      this.sequenceClasses = classes;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public FusionModel build() {
      if (config == null) {
        throw new IllegalArgumentException("headConfig must be set");
      }
      if (backbone == null) {
        throw new IllegalArgumentException("backbone must be set");
      }
      if (tokenClasses < 0 || sequenceClasses < 0) {
        throw new IllegalArgumentException(
            "tokenClasses and sequenceClasses must be >= 0, got "
                + tokenClasses
                + " and "
                + sequenceClasses);
      }
      if (tokenClasses == 0 && sequenceClasses == 0) {
        throw new IllegalArgumentException(
            "tokenClasses or sequenceClasses must be set: a model needs at least one classifier");
      }
      return new FusionModel(this);
    }
  }
}
