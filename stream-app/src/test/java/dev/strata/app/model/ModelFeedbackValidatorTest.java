package dev.strata.app.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.feedback.FeedbackVerdict;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.LabeledSpan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adapter maps the model's feedback problems onto dead-letter verdicts (no backbone needed).
 */
class ModelFeedbackValidatorTest {
  private final ModelFeedbackValidator validator = new ModelFeedbackValidator();

  private static FeedbackRecord.Builder base(String head, String text) {
    return FeedbackRecord.newBuilder()
        .setId("1")
        .setHead(head)
        .setText(text)
        .setSource("t")
        .setEventTime(Instant.EPOCH);
  }

  @Test
  void validFormsPass() {
    assertThat(
            validator.check(
                base("custom", "Alice runs")
                    .setTokens(List.of("Alice", "runs"))
                    .setTags(List.of("B-PER", "O"))
                    .build()))
        .isEqualTo(FeedbackVerdict.VALID);
    assertThat(
            validator.check(
                base("custom", "Buy a Zorbex now")
                    .setSpans(List.of(new LabeledSpan(6, 12, "GADGET")))
                    .build()))
        .isEqualTo(FeedbackVerdict.VALID);
  }

  @Test
  void theModelsProblemsBecomeVerdicts() {
    assertThat(
            validator
                .check(
                    base("custom", "Alice runs")
                        .setTokens(List.of("Alice", "runs"))
                        .setTags(List.of("B-PER"))
                        .build())
                .problem())
        .isEqualTo("TOKENS_TAGS_LENGTH_MISMATCH");
    assertThat(
            validator
                .check(
                    base("custom", "Buy a Zorbex now")
                        .setSpans(List.of(new LabeledSpan(7, 12, "GADGET")))
                        .build())
                .problem())
        .isEqualTo("SPAN_SPLITS_WORD");
    assertThat(validator.check(base("custom", "x").build()).problem()).isEqualTo("NO_LABEL_FORM");
  }

  @Test
  void aHeadNameWithAnAtSignIsRefused() {
    FeedbackVerdict v = validator.check(base("a@b", "x").setClassLabel("A").build());
    assertThat(v.problem()).isEqualTo("BAD_HEAD_NAME");
  }
}
