package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FewShotRunTest {

  @Test
  void readsTheRunnerSchema() {
    FewShotRun run = FewShotRun.fromJsonLine(TestRuns.EXAMPLE_LINE);

    assertThat(run.backbone()).isEqualTo("bert-base-cased");
    assertThat(run.data()).isEqualTo("conll2003");
    assertThat(run.head()).isEqualTo("dwatt");
    assertThat(run.k()).isEqualTo(100);
    assertThat(run.seed()).isEqualTo(1);
    assertThat(run.trainableParams()).isEqualTo(8_324_673);
    assertThat(run.steps()).isEqualTo(240);
    assertThat(run.bestStep()).isEqualTo(180);
    assertThat(run.devF1()).isEqualTo(0.7712);
    assertThat(run.testF1()).isEqualTo(0.7421);
    assertThat(run.perTypeF1())
        .containsExactly(
            Map.entry("LOC", 0.8),
            Map.entry("MISC", 0.6),
            Map.entry("ORG", 0.7),
            Map.entry("PER", 0.85));
    assertThat(run.wallSeconds()).isEqualTo(93.2);
    assertThat(run.history())
        .containsExactly(new HistoryPoint(20, 0.31), new HistoryPoint(40, 0.52));
    assertThat(run.config()).containsEntry("lr", 0.001).containsEntry("batch_size", 32);
    assertThat(run.key()).isEqualTo(new RunKey("bert-base-cased", "conll2003", "dwatt", 100, 1));
  }

  @Test
  void writesTheSameLineItReads() {
    FewShotRun run = FewShotRun.fromJsonLine(TestRuns.EXAMPLE_LINE);

    String line = run.toJsonLine();

    assertThat(line).isEqualTo(TestRuns.EXAMPLE_LINE).doesNotContain("\n");
    assertThat(FewShotRun.fromJsonLine(line)).isEqualTo(run);
  }

  @Test
  void roundTripsTheFullTrainingSetAndEmptyOptionalFields() {
    FewShotRun run =
        new FewShotRun(
            "b", "d", "deeper", FewShotRun.FULL, 7, 10, 5, 5, 0.5, 0.25, null, 1, null, null);

    FewShotRun back = FewShotRun.fromJsonLine(run.toJsonLine());

    assertThat(back).isEqualTo(run);
    assertThat(back.isFull()).isTrue();
    assertThat(back.history()).isEmpty();
    assertThat(back.perTypeF1()).isEmpty();
  }

  @Test
  void ignoresUnknownFieldsAndReadsMissingOptionalOnesAsEmpty() {
    String line =
        "{\"backbone\":\"b\",\"data\":\"d\",\"head\":\"last\",\"k\":50,\"seed\":3,"
            + "\"trainable_params\":1,\"steps\":2,\"best_step\":1,\"dev_f1\":0.1,"
            + "\"test_f1\":0.2,\"wall_seconds\":1.0,\"gpu\":\"none\",\"extra\":{\"a\":[1,2]}}";

    FewShotRun run = FewShotRun.fromJsonLine(line);

    assertThat(run.head()).isEqualTo("last");
    assertThat(run.history()).isEqualTo(List.of());
    assertThat(run.config()).isEmpty();
  }

  @Test
  void aMissingRequiredFieldIsNamed() {
    String line = TestRuns.EXAMPLE_LINE.replace("\"test_f1\":0.7421,", "");

    assertThatThrownBy(() -> FewShotRun.fromJsonLine(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_f1");
  }

  @Test
  void percentagesInsteadOfFractionsAreRejectedWithTheFix() {
    String line = TestRuns.EXAMPLE_LINE.replace("\"test_f1\":0.7421", "\"test_f1\":74.21");

    assertThatThrownBy(() -> FewShotRun.fromJsonLine(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("test_f1 = 74.21")
        .hasMessageContaining("divide percentages by 100");
  }

  @Test
  void zeroKIsRejected() {
    assertThatThrownBy(() -> TestRuns.run("last", 0, 1, 0.5, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1 for the full set");
  }
}
