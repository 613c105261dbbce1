package dev.strata.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Parameter counts worked out by hand for a small backbone, and the deeper-n helper. */
class HeadParameterCountTest {
  /** L = 3 (S = 4 states), H = 8, 2 heads, FFN 16; γ = 0.5 gives a bottleneck of 4. */
  static final BackboneShape SMALL = new BackboneShape(3, 8, 2, 16, 1e-12f);

  static final BackboneShape BERT_BASE = new BackboneShape(12, 768, 12, 3072, 1e-12f);
  static final BackboneShape BERT_384 = new BackboneShape(12, 384, 12, 1536, 1e-12f);

  static long byHand(HeadType type) {
    switch (type) {
      case LAST:
        return 0;
      case CONCAT:
        // Linear 32 -> 8 with bias, LayerNorm(8)
        return 32 * 8 + 8 + 2 * 8;
      case SCALARMIX:
        return 4 + 1;
      case DWATT:
        // one bottleneck MLP: U 8x4 + 4, LN(4) 8, W 4x8 + 8, LN(8) 16 = 100; 4 values + query
        // positions 4x24 = 96, W_K 24x8 = 192
        return 5 * 100 + 96 + 192;
      case DEEPER:
        // 2 layers: qkv 8x24 + 24, out 8x8 + 8 = 288; ffn 8x16 + 16 + 16x8 + 8 = 280; 2 LN = 32
        return 2 * (288 + 280 + 32);
      default:
        throw new AssertionError(type);
    }
  }

  static HeadConfig config(HeadType type) {
    return HeadConfig.builder().setType(type).optDeeperLayers(2).build();
  }

  @ParameterizedTest
  @EnumSource(HeadType.class)
  void blockCountMatchesTheHandCountAndTheFormula(HeadType type) {
    long expected = byHand(type);
    assertThat(ParameterCounts.head(config(type), SMALL)).isEqualTo(expected);
    try (NDManager manager = NDManager.newBaseManager()) {
      FusionModel model =
          FusionModel.builder()
              .setHeadConfig(config(type))
              .setBackbone(SMALL)
              .optTokenClasses(5)
              .optSequenceClasses(3)
              .build();
      assertThat(model.head().trainableParameters()).isEqualTo(expected);
      model.initialize(manager, 1);
      assertThat(model.head().trainableParameters()).isEqualTo(expected);
      // classifiers: 8x5 + 5 and 8x3 + 3
      assertThat(model.trainableParameters()).isEqualTo(expected + 45 + 27);
      assertThat(model.tokenClassifier().orElseThrow().trainableParameters()).isEqualTo(45);
    }
  }

  @Test
  void layerRangeShrinksTheFusedHeads() {
    HeadConfig c = HeadConfig.builder().setType(HeadType.DWATT).optLayerRange(2, 3).build();
    assertThat(ParameterCounts.head(c, SMALL)).isEqualTo(3 * 100 + 2 * 24 + 192);
    assertThat(Heads.create(c, SMALL).trainableParameters()).isEqualTo(3 * 100 + 2 * 24 + 192);
    HeadConfig concat = c.withType(HeadType.CONCAT);
    assertThat(Heads.create(concat, SMALL).trainableParameters()).isEqualTo(16 * 8 + 8 + 16);
  }

  @Test
  void deeperIsOneLayerForBertBase() {
    DeeperSizing s = DeeperSizing.choose(BERT_BASE, HeadConfig.of(HeadType.DEEPER));
    // DWAtt: 14 MLPs of (2*768*384 + 3*384 + 3*768) + 13*24 + 24*768
    assertThat(s.dwattParameters()).isEqualTo(14L * 593_280 + 312 + 18_432);
    // one layer: 4*768^2 + 4*768 + 2*768*3072 + 3072 + 768 + 4*768
    assertThat(s.deeperParameters()).isEqualTo(7_087_872L);
    assertThat(s.layers()).isEqualTo(1);
    assertThat(s.relativeDifference()).isCloseTo(-0.1486, within(1e-3));
    assertThat(s.withinTolerance()).isTrue();
    assertThat(ParameterCounts.head(HeadConfig.of(HeadType.DEEPER), BERT_BASE))
        .isEqualTo(7_087_872L);
  }

  @Test
  void deeperCannotMatchA384WideBackboneWithinFifteenPercent() {
    DeeperSizing s = DeeperSizing.choose(BERT_384, HeadConfig.of(HeadType.DEEPER));
    assertThat(s.dwattParameters()).isEqualTo(14L * 149_184 + 312 + 9_216);
    assertThat(s.deeperParameters()).isEqualTo(1_774_464L);
    assertThat(s.layers()).isEqualTo(1);
    assertThat(s.relativeDifference()).isCloseTo(-0.154, within(1e-3));
    assertThat(s.withinTolerance()).isFalse();
    assertThat(s.describe()).contains("OUTSIDE");
  }
}
