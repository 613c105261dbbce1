package dev.strata.model.head;

import java.util.Objects;

/**
 * Settings of a fusion head. Build with {@link #builder()}; every field has the default the DWAtt
 * paper reports or, where the paper could not be checked, the default of the project's
 * specification.
 *
 * @param type which head
 * @param dropout dropout on features (concat output, deeper layers, classifiers); default 0.1
 * @param weightDropout dropout on the DWAtt layer weights {@code a}; default 0.1
 * @param positionWidth width of the DWAtt layer-position embeddings p_n; default 24
 * @param bottleneckRatio γ of the DWAtt value and query MLPs (H → γH → H); default 0.5
 * @param scaleLogits whether DWAtt scales q·k_n by 1/√H; default off
 * @param layerRange fused states, or {@code null} for all L+1; z_L (DWAtt's query and residual, the
 *     {@code last} and {@code deeper} input) is always the backbone's last state
 * @param deeperLayers transformer layers of the {@code deeper} head, or 0 to size it against DWAtt
 *     with {@link DeeperSizing#choose}
 */
public record HeadConfig(
    HeadType type,
    float dropout,
    float weightDropout,
    int positionWidth,
    float bottleneckRatio,
    boolean scaleLogits,
    LayerRange layerRange,
    int deeperLayers) {

  public HeadConfig {
    Objects.requireNonNull(type, "type");
    probability("dropout", dropout);
    probability("weightDropout", weightDropout);
    if (positionWidth < 1) {
      throw new IllegalArgumentException("positionWidth must be >= 1, got " + positionWidth);
    }
    if (!(bottleneckRatio > 0f && bottleneckRatio <= 1f)) {
      throw new IllegalArgumentException(
          "bottleneckRatio must be in (0, 1], got " + bottleneckRatio);
    }
    if (deeperLayers < 0) {
      throw new IllegalArgumentException(
          "deeperLayers must be >= 0 (0 = size against DWAtt), got " + deeperLayers);
    }
  }

  private static void probability(String name, float p) {
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + p);
    }
  }

  /** A builder with the defaults; only {@code type} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The defaults for {@code type}. */
  public static HeadConfig of(HeadType type) {
    return builder().setType(type).build();
  }

  /** The fused states for a backbone with {@code states} states. */
  public LayerRange rangeFor(int states) {
    LayerRange r = layerRange == null ? LayerRange.all(states) : layerRange;
    if (r.last() >= states) {
      throw new IllegalArgumentException(
          "layerRange ["
              + r.first()
              + ", "
              + r.last()
              + "] does not fit a backbone with "
              + states
              + " states (0.."
              + (states - 1)
              + "); lower layerRange.last");
    }
    return r;
  }

  /** Bottleneck width γH for hidden width {@code hidden} (at least 1). */
  public int bottleneck(int hidden) {
    return Math.max(1, Math.round(hidden * bottleneckRatio));
  }

  /** A copy with another type, keeping the other settings. */
  public HeadConfig withType(HeadType newType) {
    return new HeadConfig(
        newType,
        dropout,
        weightDropout,
        positionWidth,
        bottleneckRatio,
        scaleLogits,
        layerRange,
        deeperLayers);
  }

  /** Builder for {@link HeadConfig}; {@code build()} validates and names the bad field. */
  public static final class Builder {
    private HeadType type;
    private float dropout = 0.1f;
    private float weightDropout = 0.1f;
    private int positionWidth = 24;
    private float bottleneckRatio = 0.5f;
    private boolean scaleLogits;
    private LayerRange layerRange;
    private int deeperLayers;

    private Builder() {}

    public Builder setType(HeadType type) {
      this.type = type;
      return this;
    }

    public Builder optDropout(float dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder optWeightDropout(float weightDropout) {
      this.weightDropout = weightDropout;
      return this;
    }

    public Builder optPositionWidth(int positionWidth) {
      this.positionWidth = positionWidth;
      return this;
    }

    public Builder optBottleneckRatio(float bottleneckRatio) {
      this.bottleneckRatio = bottleneckRatio;
      return this;
    }

    public Builder optScaleLogits(boolean scaleLogits) {
      this.scaleLogits = scaleLogits;
      return this;
    }

    /** Fuse states {@code first..last} (inclusive); default all. */
    public Builder optLayerRange(int first, int last) {
      this.layerRange = new LayerRange(first, last);
      return this;
    }

    public Builder optDeeperLayers(int deeperLayers) {
      this.deeperLayers = deeperLayers;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the field that is missing or out of range
     */
    public HeadConfig build() {
      if (type == null) {
        throw new IllegalArgumentException(
            "type must be set (one of last, deeper, concat, dwatt," + " scalarmix)");
      }
      return new HeadConfig(
          type,
          dropout,
          weightDropout,
          positionWidth,
          bottleneckRatio,
          scaleLogits,
          layerRange,
          deeperLayers);
    }
  }
}
