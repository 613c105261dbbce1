package dev.strata.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Validation of head settings names the field. */
class HeadConfigTest {

  @Test
  void defaultsFollowThePaper() {
    HeadConfig c = HeadConfig.of(HeadType.DWATT);
    assertThat(c.positionWidth()).isEqualTo(24);
    assertThat(c.bottleneckRatio()).isEqualTo(0.5f);
    assertThat(c.weightDropout()).isEqualTo(0.1f);
    assertThat(c.scaleLogits()).isFalse();
    assertThat(c.rangeFor(13)).isEqualTo(new LayerRange(0, 12));
    assertThat(c.bottleneck(768)).isEqualTo(384);
  }

  @Test
  void badFieldsAreNamed() {
    assertThatThrownBy(() -> HeadConfig.builder().build()).hasMessageContaining("type");
    assertThatThrownBy(() -> HeadConfig.builder().setType(HeadType.DWATT).optDropout(1f).build())
        .hasMessageContaining("dropout");
    assertThatThrownBy(
            () -> HeadConfig.builder().setType(HeadType.DWATT).optBottleneckRatio(0f).build())
        .hasMessageContaining("bottleneckRatio");
    assertThatThrownBy(
            () -> HeadConfig.builder().setType(HeadType.DWATT).optPositionWidth(0).build())
        .hasMessageContaining("positionWidth");
    assertThatThrownBy(() -> HeadConfig.builder().setType(HeadType.DWATT).optLayerRange(3, 2))
        .hasMessageContaining("layerRange");
    HeadConfig tooFar = HeadConfig.builder().setType(HeadType.CONCAT).optLayerRange(0, 9).build();
    assertThatThrownBy(() -> Heads.create(tooFar, HeadParameterCountTest.SMALL))
        .hasMessageContaining("layerRange")
        .hasMessageContaining("4 states");
    assertThatThrownBy(() -> HeadType.parse("wide")).hasMessageContaining("dwatt");
    assertThat(HeadType.parse(" DWAtt ")).isEqualTo(HeadType.DWATT);
  }
}
