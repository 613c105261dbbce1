package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import org.junit.jupiter.api.Test;

class SweepHeadTest {

  @Test
  void headTypesParseToTheirDefaults() {
    for (HeadType t : HeadType.values()) {
      SweepHead h = SweepHead.parse(" " + t.id().toUpperCase(java.util.Locale.ROOT) + " ");
      assertThat(h.id()).isEqualTo(t.id());
      assertThat(h.config()).isEqualTo(HeadConfig.of(t));
    }
  }

  @Test
  void dwattScaledIsDwattWithScaledLogitsUnderItsOwnName() {
    SweepHead h = SweepHead.parse("dwatt-scaled");
    assertThat(h.id()).isEqualTo("dwatt-scaled").isNotEqualTo(HeadType.DWATT.id());
    assertThat(h.config().type()).isEqualTo(HeadType.DWATT);
    assertThat(h.config().scaleLogits()).isTrue();
    assertThat(h.config())
        .isEqualTo(HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(true).build());
    assertThat(SweepHead.parse("dwatt").config().scaleLogits()).isFalse();
  }

  @Test
  void anUnknownNameListsTheKnownOnes() {
    assertThatThrownBy(() -> SweepHead.parse("wide"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'wide'")
        .hasMessageContaining("concat")
        .hasMessageContaining("dwatt-scaled");
  }
}
