package dev.strata.app.model;

import dev.strata.app.feedback.FeedbackValidator;
import dev.strata.app.feedback.FeedbackVerdict;
import dev.strata.app.feedback.StructuralFeedbackValidator;
import dev.strata.model.feedback.FeedbackExample;
import dev.strata.model.feedback.FeedbackExamples;
import dev.strata.model.feedback.InvalidFeedbackException;
import dev.strata.model.feedback.LabeledSpan;
import dev.strata.schemas.avro.FeedbackRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link FeedbackValidator} over the model's {@link FeedbackExamples}: the same checks and the same
 * word splitting the tagger uses at inference, so every stored example can be trained on. The
 * problem names are {@link dev.strata.model.feedback.FeedbackProblem} constants.
 */
public final class ModelFeedbackValidator implements FeedbackValidator {
  private final StructuralFeedbackValidator names = new StructuralFeedbackValidator();

  @Override
  public FeedbackVerdict check(FeedbackRecord r) {
    FeedbackVerdict structural = names.check(r);
    if (!structural.valid() && structural.problem().endsWith("HEAD_NAME")) {
      return structural;
    }
    try {
      toExample(r);
      return FeedbackVerdict.VALID;
    } catch (InvalidFeedbackException e) {
      return FeedbackVerdict.invalid(e.problem().name(), e.getMessage());
    } catch (RuntimeException e) {
      return FeedbackVerdict.invalid("INVALID", e.toString());
    }
  }

  /**
   * The model's example for {@code r}.
   *
   * @throws InvalidFeedbackException when it is not valid
   */
  static FeedbackExample toExample(FeedbackRecord r) {
    List<LabeledSpan> spans = null;
    if (r.getSpans() != null) {
      spans = new ArrayList<>(r.getSpans().size());
      for (dev.strata.schemas.avro.LabeledSpan s : r.getSpans()) {
        spans.add(new LabeledSpan(s.getStart(), s.getEnd(), s.getLabel()));
      }
    }
    return FeedbackExamples.of(
        r.getId(), r.getHead(), r.getText(), r.getTokens(), r.getTags(), spans, r.getClassLabel());
  }
}
