package dev.strata.model.reference;

import java.util.Objects;

/**
 * The checked shape of a padded batch handed to a {@link ReferenceEncoder}.
 *
 * @param rows batch size B
 * @param tokens row length T
 */
record PaddedBatch(int rows, int tokens) {

  /**
   * Checks that {@code ids} and {@code mask} are non-empty, rectangular and of the same shape.
   *
   * @throws IllegalArgumentException naming the first row that breaks the rule
   */
  static PaddedBatch of(int[][] ids, int[][] mask) {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(mask, "mask");
    if (ids.length == 0 || ids[0] == null || ids[0].length == 0) {
      throw new IllegalArgumentException(
          "empty batch: give at least one row of at least one token id");
    }
    if (mask.length != ids.length) {
      throw new IllegalArgumentException(
          "mask has "
              + mask.length
              + " rows but ids has "
              + ids.length
              + "; give one mask row per id row");
    }
    int tokens = ids[0].length;
    for (int b = 0; b < ids.length; b++) {
      if (ids[b] == null || ids[b].length != tokens) {
        throw new IllegalArgumentException(
            "ids row "
                + b
                + " has "
                + (ids[b] == null ? "no" : String.valueOf(ids[b].length))
                + " tokens but row 0 has "
                + tokens
                + "; pad every row to the same length");
      }
      if (mask[b] == null || mask[b].length != tokens) {
        throw new IllegalArgumentException(
            "mask row "
                + b
                + " has "
                + (mask[b] == null ? "no" : String.valueOf(mask[b].length))
                + " entries but ids rows have "
                + tokens
                + "; give the mask the shape of the ids");
      }
    }
    return new PaddedBatch(ids.length, tokens);
  }
}
