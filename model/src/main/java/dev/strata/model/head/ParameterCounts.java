package dev.strata.model.head;

/**
 * Closed-form trainable-parameter counts of the heads, for sizing and reporting before anything is
 * built. The blocks count their own parameters too; the tests hold the two equal.
 */
public final class ParameterCounts {
  private ParameterCounts() {}

  /** Head parameters of {@code config} on {@code backbone} (classifiers excluded). */
  public static long head(HeadConfig config, BackboneShape backbone) {
    long h = backbone.hidden();
    long s = config.rangeFor(backbone.states()).size();
    switch (config.type()) {
      case LAST:
        return 0;
      case CONCAT:
        return s * h * h + h + 2 * h;
      case SCALARMIX:
        return s + 1;
      case DWATT:
        return dwatt(config, backbone);
      case DEEPER:
        int n =
            config.deeperLayers() > 0
                ? config.deeperLayers()
                : DeeperSizing.choose(backbone, config).layers();
        return n * transformerLayer(backbone);
      default:
        throw new IllegalStateException("unhandled head type " + config.type());
    }
  }

  /** DWAtt: (S + 1) bottleneck MLPs, S position embeddings and the key projection. */
  public static long dwatt(HeadConfig config, BackboneShape backbone) {
    long h = backbone.hidden();
    long g = config.bottleneck(backbone.hidden());
    long s = config.rangeFor(backbone.states()).size();
    long p = config.positionWidth();
    long mlp = h * g + g + 2 * g + g * h + h + 2 * h;
    return (s + 1) * mlp + s * p + p * h;
  }

  /** One post-LN transformer layer with the backbone's widths. */
  public static long transformerLayer(BackboneShape backbone) {
    long h = backbone.hidden();
    long f = backbone.intermediate();
    long attention = 4 * h * h + 4 * h;
    long ffn = h * f + f + f * h + h;
    return attention + ffn + 4 * h;
  }

  /** A classifier Linear(H → C). */
  public static long classifier(int hidden, int classes) {
    return (long) hidden * classes + classes;
  }
}
