package dev.strata.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked cases; the expected counts and ratios are derived in the comments. */
class EntityScorerTest {
  private static final double EPS = 1e-12;

  private static List<String> t(String s) {
    return s.isEmpty() ? List.of() : List.of(s.split(" "));
  }

  private static EntityScores score(String gold, String pred) {
    return new EntityScorer().add(t(gold), t(pred)).scores();
  }

  @Test
  void perfectPrediction() {
    // gold = pred = {PER[0,2), LOC[3,4)}: tp 2, predicted 2, gold 2 -> P = R = F1 = 1.
    EntityScores s = score("B-PER I-PER O B-LOC", "B-PER I-PER O B-LOC");
    assertThat(s.micro()).isEqualTo(new TypeCounts(2, 2, 2));
    assertThat(s.f1()).isEqualTo(1.0);
    assertThat(s.tagAccuracy()).isEqualTo(1.0);
  }

  @Test
  void partialOverlapIsAMissAndAFalseAlarm() {
    // gold {PER[0,3)}, pred {PER[0,2)}: same start and type, different end -> no match.
    // tp 0, predicted 1, gold 1 -> P = 0, R = 0, F1 = 0. Tags right: B-PER, I-PER -> 2 of 3.
    EntityScores s = score("B-PER I-PER I-PER", "B-PER I-PER O");
    assertThat(s.micro()).isEqualTo(new TypeCounts(0, 1, 1));
    assertThat(s.f1()).isZero();
    assertThat(s.tagAccuracy()).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void wrongTypeCountsForBothTypes() {
    // gold {PER[0,2), LOC[3,4)}, pred {ORG[0,2), LOC[3,4)}.
    // LOC: tp 1, pred 1, gold 1. ORG: tp 0, pred 1, gold 0. PER: tp 0, pred 0, gold 1.
    // micro: tp 1, pred 2, gold 2 -> P = R = F1 = 0.5.
    EntityScores s = score("B-PER I-PER O B-LOC", "B-ORG I-ORG O B-LOC");
    assertThat(s.micro()).isEqualTo(new TypeCounts(1, 2, 2));
    assertThat(s.perType())
        .containsEntry("LOC", new TypeCounts(1, 1, 1))
        .containsEntry("ORG", new TypeCounts(0, 1, 0))
        .containsEntry("PER", new TypeCounts(0, 0, 1));
    assertThat(s.precision()).isEqualTo(0.5);
    assertThat(s.recall()).isEqualTo(0.5);
    assertThat(s.f1()).isEqualTo(0.5);
    // ORG: P = 0/1 = 0, R = 0/0 -> 0 by convention; PER: P = 0/0 -> 0.
    assertThat(s.perType().get("ORG").f1()).isZero();
    assertThat(s.perType().get("PER").precision()).isZero();
  }

  @Test
  void insideTagStartingASpanOpensAnEntity() {
    // pred "O I-LOC I-LOC" is read as LOC[1,3) (conlleval), equal to gold's B-LOC I-LOC.
    // tp 1, pred 1, gold 1 -> F1 = 1, although only 2 of 3 tags are equal strings.
    EntityScores s = score("O B-LOC I-LOC", "O I-LOC I-LOC");
    assertThat(s.micro()).isEqualTo(new TypeCounts(1, 1, 1));
    assertThat(s.f1()).isEqualTo(1.0);
    assertThat(s.tagAccuracy()).isCloseTo(2.0 / 3, within(EPS));
    // and an I- of another type inside a span opens a new one: pred B-PER I-LOC = PER[0,1) +
    // LOC[1,2); gold PER[0,2). tp 0, pred 2, gold 1 -> P 0, R 0.
    assertThat(score("B-PER I-PER", "B-PER I-LOC").micro()).isEqualTo(new TypeCounts(0, 2, 1));
  }

  @Test
  void adjacentEntitiesOfOneType() {
    // gold "B-PER B-PER": PER[0,1), PER[1,2). pred "B-PER I-PER": PER[0,2).
    // tp 0, pred 1, gold 2 -> P 0, R 0, F1 0.
    assertThat(score("B-PER B-PER", "B-PER I-PER").micro()).isEqualTo(new TypeCounts(0, 1, 2));
    // pred "B-PER B-PER" against itself: tp 2, pred 2, gold 2.
    assertThat(score("B-PER B-PER", "B-PER B-PER").micro()).isEqualTo(new TypeCounts(2, 2, 2));
    // gold "B-PER B-PER O", pred "B-PER O O": tp 1, pred 1, gold 2 -> P 1, R 0.5, F1 2/3.
    EntityScores s = score("B-PER B-PER O", "B-PER O O");
    assertThat(s.precision()).isEqualTo(1.0);
    assertThat(s.recall()).isEqualTo(0.5);
    assertThat(s.f1()).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void emptyPredictionsScorePrecisionZeroByConvention() {
    // gold {LOC[0,1), PER[2,4)}, nothing predicted: tp 0, pred 0, gold 2.
    // conlleval: P = 0 when nothing is predicted (not undefined, not 1); R = 0/2 = 0; F1 = 0.
    EntityScores s = score("B-LOC O B-PER I-PER", "O O O O");
    assertThat(s.micro()).isEqualTo(new TypeCounts(0, 0, 2));
    assertThat(s.precision()).isZero();
    assertThat(s.recall()).isZero();
    assertThat(s.f1()).isZero();
  }

  @Test
  void emptyGold() {
    // no gold entity, pred {MISC[1,2)}: tp 0, pred 1, gold 0 -> P 0/1 = 0, R 0 (0/0), F1 0.
    EntityScores s = score("O O", "O B-MISC");
    assertThat(s.micro()).isEqualTo(new TypeCounts(0, 1, 0));
    assertThat(s.f1()).isZero();
    // nothing on either side: every ratio is 0/0 -> 0 (conlleval prints 0.00 too).
    EntityScores none = score("O O", "O O");
    assertThat(none.micro()).isEqualTo(TypeCounts.ZERO);
    assertThat(none.perType()).isEmpty();
    assertThat(none.f1()).isZero();
    assertThat(none.tagAccuracy()).isEqualTo(1.0);
  }

  @Test
  void spansDoNotCrossSentencesAndCountsAddUp() {
    // sentence 1 ends with I-PER and sentence 2 starts with I-PER: two entities, not one.
    // s1: gold PER[1,2), pred PER[1,2) -> tp 1. s2: gold PER[0,1), pred PER[0,1) -> tp 1.
    // s3: gold LOC[0,2), pred LOC[0,1) -> tp 0. Totals: tp 2, pred 3, gold 3.
    // P = R = 2/3, F1 = 2/3.
    EntityScores s =
        EntityScorer.score(
            List.of(t("O B-PER"), t("I-PER O"), t("B-LOC I-LOC")),
            List.of(t("O B-PER"), t("I-PER O"), t("B-LOC O")));
    assertThat(s.micro()).isEqualTo(new TypeCounts(2, 3, 3));
    assertThat(s.perType().get("PER")).isEqualTo(new TypeCounts(2, 2, 2));
    assertThat(s.perType().get("LOC")).isEqualTo(new TypeCounts(0, 1, 1));
    assertThat(s.f1()).isCloseTo(2.0 / 3, within(EPS));
    assertThat(s.tokens()).isEqualTo(6);
    assertThat(s.correctTags()).isEqualTo(5);
  }

  @Test
  void jsonAndTable() throws Exception {
    EntityScores s = score("B-PER I-PER O B-LOC", "B-ORG I-ORG O B-LOC");
    JsonNode j = new ObjectMapper().readTree(s.toJson());
    assertThat(j.at("/micro/tp").asLong()).isEqualTo(1);
    assertThat(j.at("/micro/f1").asDouble()).isEqualTo(0.5);
    assertThat(j.at("/types/ORG/predicted").asLong()).isEqualTo(1);
    assertThat(j.at("/types/PER/gold").asLong()).isEqualTo(1);
    assertThat(s.toTable()).contains("LOC").contains("all").contains("50.00");
  }

  @Test
  void lengthMismatchIsAnError() {
    assertThatThrownBy(() -> score("O O", "O"))
        .hasMessageContaining("2 vs 1")
        .hasMessageContaining("one tag per word");
  }
}
