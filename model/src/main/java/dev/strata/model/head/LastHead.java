package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** The floor: the features are the last layer's states z_L; no trainable parameters. */
public final class LastHead extends HeadBlock {

  LastHead(HeadConfig config, BackboneShape backbone) {
    super(config, backbone);
  }

  @Override
  public HeadOutput fuse(
      ParameterStore parameters, NDArray states, NDArray mask, boolean training) {
    checkInput(states, mask);
    return new HeadOutput(top(states), null);
  }
}
