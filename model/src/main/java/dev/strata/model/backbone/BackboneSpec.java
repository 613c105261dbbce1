package dev.strata.model.backbone;

import java.util.Objects;

/**
 * A backbone the tool knows how to obtain and load.
 *
 * @param name short name used on the command line, e.g. {@code bert-base-cased}
 * @param description one line for listings
 * @param layers transformer layers L
 * @param hidden hidden width H
 * @param heads attention heads
 * @param cased whether the vocabulary keeps case
 * @param format how the weights are stored
 * @param coordinates Maven coordinates {@code group:artifact:version}, or the folder path for a
 *     user's checkpoint
 * @param licence licence of the weights
 */
public record BackboneSpec(
    String name,
    String description,
    int layers,
    int hidden,
    int heads,
    boolean cased,
    WeightFormat format,
    String coordinates,
    String licence) {

  public BackboneSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(coordinates, "coordinates");
    Objects.requireNonNull(licence, "licence");
  }

  /** Whether the weights come from a Maven artifact (as opposed to a local folder). */
  public boolean fromMaven() {
    return format != WeightFormat.SAFETENSORS;
  }
}
