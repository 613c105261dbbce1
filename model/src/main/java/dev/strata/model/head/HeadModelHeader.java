package dev.strata.model.head;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON header of a saved head model: everything but the weights.
 *
 * @param formatVersion the file format version
 * @param backbone the backbone weights the head was trained on
 * @param backboneShape the backbone's dimensions
 * @param head the head's settings
 * @param tokenLabels token label set (index = class id), empty without a token classifier
 * @param sequenceLabels sequence label set, empty without a sequence classifier
 * @param trainableParameters trainable parameters of head and classifiers
 * @param training training hyper-parameters as recorded by the trainer
 * @param metadata free-form facts (dev score, data set, date), may be empty
 */
public record HeadModelHeader(
    int formatVersion,
    BackboneRef backbone,
    BackboneShape backboneShape,
    HeadConfig head,
    List<String> tokenLabels,
    List<String> sequenceLabels,
    long trainableParameters,
    Map<String, Object> training,
    Map<String, String> metadata) {

  public HeadModelHeader {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(backboneShape, "backboneShape");
    Objects.requireNonNull(head, "head");
    tokenLabels = tokenLabels == null ? List.of() : List.copyOf(tokenLabels);
    sequenceLabels = sequenceLabels == null ? List.of() : List.copyOf(sequenceLabels);
    training = training == null ? Map.of() : Map.copyOf(training);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A new, empty model with this header's architecture (initialise or load it next). */
  public FusionModel newModel() {
    return FusionModel.builder()
        .setHeadConfig(head)
        .setBackbone(backboneShape)
        .optTokenClasses(tokenLabels.size())
        .optSequenceClasses(sequenceLabels.size())
        .build();
  }
}
