package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * The paper's baseline: n freshly initialised post-LN transformer layers (the backbone's H, heads
 * and FFN width) on z_L, with the attention mask. n comes from the config or, when it says 0, from
 * {@link DeeperSizing#choose} so that the head is about as large as DWAtt.
 */
public final class DeeperHead extends HeadBlock {
  /** Logit added to padding keys in the self-attention. */
  private static final float MASK_ADDER = -10000f;

  private final int layers;

  DeeperHead(HeadConfig config, BackboneShape backbone) {
    super(config, backbone);
    this.layers =
        config.deeperLayers() > 0
            ? config.deeperLayers()
            : DeeperSizing.choose(backbone, config).layers();
    for (int i = 0; i < layers; i++) {
      addChildBlock("layer" + i, new TransformerLayerBlock(backbone, config.dropout()));
    }
  }

  /** Number of transformer layers n. */
  public int layers() {
    return layers;
  }

  @Override
  public HeadOutput fuse(ParameterStore ps, NDArray states, NDArray mask, boolean training) {
    checkInput(states, mask);
    Shape m = mask.getShape();
    NDArray maskAdder = mask.sub(1f).mul(-MASK_ADDER).reshape(m.get(0), 1, 1, m.get(1));
    NDArray x = top(states);
    for (Block layer : getChildren().values()) {
      x = layer.forward(ps, new NDList(x, maskAdder), training).singletonOrThrow();
    }
    return new HeadOutput(x, null);
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    Shape in = inputShapes[0];
    Shape x = new Shape(in.get(0), in.get(1), backbone.hidden());
    Shape adder = new Shape(in.get(0), 1, 1, in.get(1));
    for (Block child : getChildren().values()) {
      child.initialize(manager, dataType, x, adder);
    }
  }
}
