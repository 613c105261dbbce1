package dev.strata.model.serving;

import dev.strata.model.ner.Entity;
import java.util.Objects;

/**
 * An entity with the head (and head version) that found it.
 *
 * @param head the head's name
 * @param version the head's version
 * @param entity the span, label, score and layer weights
 */
public record HeadEntity(String head, String version, Entity entity) {
  public HeadEntity {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(entity, "entity");
  }
}
