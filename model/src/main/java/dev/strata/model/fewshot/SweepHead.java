package dev.strata.model.fewshot;

import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import java.util.Locale;
import java.util.Objects;

/**
 * A head as the few-shot sweep names it: every {@link HeadType} with its default settings, plus
 * named variants that are reported as columns of their own (a variant's runs never mix with its
 * base head's runs).
 *
 * @param id the name in {@code --heads}, {@code runs.jsonl} and the report
 * @param config the head settings the runs train with
 */
public record SweepHead(String id, HeadConfig config) {
  /** DWAtt with the layer-attention logits scaled by 1/√H. */
  public static final String DWATT_SCALED = "dwatt-scaled";

  public SweepHead {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(config, "config");
  }

  /** A head type with its default settings, named by its id. */
  public static SweepHead of(HeadType type) {
    return new SweepHead(type.id(), HeadConfig.of(type));
  }

  /**
   * Parses a head type id or a variant name.
   *
   * @throws IllegalArgumentException for an unknown name, listing the known ones
   */
  public static SweepHead parse(String name) {
    if (name != null && name.trim().toLowerCase(Locale.ROOT).equals(DWATT_SCALED)) {
      return new SweepHead(
          DWATT_SCALED, HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(true).build());
    }
    try {
      return of(HeadType.parse(name));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + ", or " + DWATT_SCALED, e);
    }
  }
}
