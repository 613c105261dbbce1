package dev.strata.model.head;

import java.util.Objects;

/** Builds the head a {@link HeadConfig} names. */
public final class Heads {
  private Heads() {}

  /**
   * A new, uninitialised head.
   *
   * @throws IllegalArgumentException when the config does not fit the backbone (e.g. a layer range
   *     past L)
   */
  public static FusionHead create(HeadConfig config, BackboneShape backbone) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(backbone, "backbone");
    switch (config.type()) {
      case LAST:
        return new LastHead(config, backbone);
      case DEEPER:
        return new DeeperHead(config, backbone);
      case CONCAT:
        return new ConcatHead(config, backbone);
      case DWATT:
        return new DwattHead(config, backbone);
      case SCALARMIX:
        return new ScalarMixHead(config, backbone);
      default:
        throw new IllegalStateException("unhandled head type " + config.type());
    }
  }
}
