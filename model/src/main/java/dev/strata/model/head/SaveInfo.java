package dev.strata.model.head;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the caller tells {@link HeadModelFile#write} beyond the model itself.
 *
 * @param backbone the backbone weights the head was trained on
 * @param tokenLabels token label set, one per token class (empty without a token classifier)
 * @param sequenceLabels sequence label set (empty without a sequence classifier)
 * @param training training hyper-parameters (e.g. {@code TrainingConfig.asMap()})
 * @param metadata free-form facts to keep with the model
 */
public record SaveInfo(
    BackboneRef backbone,
    List<String> tokenLabels,
    List<String> sequenceLabels,
    Map<String, Object> training,
    Map<String, String> metadata) {

  public SaveInfo {
    Objects.requireNonNull(backbone, "backbone");
    tokenLabels = tokenLabels == null ? List.of() : List.copyOf(tokenLabels);
    sequenceLabels = sequenceLabels == null ? List.of() : List.copyOf(sequenceLabels);
    training = training == null ? Map.of() : Map.copyOf(training);
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }
}
