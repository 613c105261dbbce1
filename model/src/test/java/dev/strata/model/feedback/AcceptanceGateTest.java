package dev.strata.model.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptanceGateTest {

  @Test
  void aNewHeadIsAlwaysAccepted() {
    AcceptanceGate.Verdict v = AcceptanceGate.judge(false, 0.1, Double.NaN, 0.01);
    assertThat(v.accept()).isTrue();
    assertThat(v.message()).isEqualTo("new head");
  }

  @Test
  void aCandidateWithinTheMarginIsAcceptedAndOneBelowItIsNot() {
    AcceptanceGate.Verdict within = AcceptanceGate.judge(true, 0.795, 0.80, 0.01);
    assertThat(within.accept()).isTrue();
    assertThat(within.message())
        .isEqualTo("candidate F1 0.7950 >= serving F1 0.8000 - margin 0.0100");
    AcceptanceGate.Verdict below = AcceptanceGate.judge(true, 0.785, 0.80, 0.01);
    assertThat(below.accept()).isFalse();
    assertThat(below.message())
        .isEqualTo("candidate F1 0.7850 < serving F1 0.8000 - margin 0.0100");
  }

  @Test
  void aNaNScoreNeverPasses() {
    assertThat(AcceptanceGate.judge(true, Double.NaN, 0.5, 0.01).accept()).isFalse();
    assertThat(AcceptanceGate.judge(true, 0.9, Double.NaN, 0.01).accept()).isFalse();
  }
}
