package dev.strata.model.head;

import java.util.Objects;

/**
 * A head model read from its file: the header and the model with its weights.
 *
 * @param header everything the file says about the model
 * @param model the model, its weights in the manager given to the reader
 */
public record LoadedHeadModel(HeadModelHeader header, FusionModel model) {

  public LoadedHeadModel {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(model, "model");
  }
}
