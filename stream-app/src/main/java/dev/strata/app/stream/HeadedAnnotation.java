package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.model.ner.Annotation;
import java.util.List;

/**
 * An annotation with the head that produced each entity, for models that serve several heads in one
 * pass.
 *
 * @param annotation entities (text order) and classification
 * @param entityHeads head name of each entity, same order and size as {@code annotation.entities()}
 * @param sequenceHead head that produced the classification, or {@code null} without one
 */
public record HeadedAnnotation(
    Annotation annotation, List<String> entityHeads, String sequenceHead) {
  public HeadedAnnotation {
    requireNonNull(annotation, "annotation");
    entityHeads = List.copyOf(requireNonNull(entityHeads, "entityHeads"));
    if (entityHeads.size() != annotation.entities().size()) {
      throw new IllegalArgumentException(
          entityHeads.size() + " head names for " + annotation.entities().size() + " entities");
    }
  }
}
