package dev.strata.model.head;

import java.util.Objects;

/**
 * Which backbone weights a head was trained on: an id (e.g. {@code bert-base-cased}) and a checksum
 * of the weight file(s). A head only works on the exact backbone it was trained on.
 *
 * @param id backbone name
 * @param checksum checksum of the backbone's weights, as the caller computes it
 */
public record BackboneRef(String id, String checksum) {

  public BackboneRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(checksum, "checksum");
    if (id.isBlank()) {
      throw new IllegalArgumentException("backbone id must not be blank");
    }
  }

  @Override
  public String toString() {
    return id + " (checksum " + checksum + ")";
  }
}
