package dev.strata.model.serving;

import dev.strata.model.ner.Annotation;
import java.util.Objects;

/**
 * What one served head says about one text.
 *
 * @param head the head's name
 * @param version the version of the head that produced it
 * @param annotation its entities (token head) and/or class (sequence head)
 */
public record HeadAnnotation(String head, String version, Annotation annotation) {
  public HeadAnnotation {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(annotation, "annotation");
  }
}
