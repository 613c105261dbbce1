package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import java.util.List;

/**
 * Trains a candidate head from stored feedback and compares it with the serving one on held-out
 * feedback. Called on the retrainer's own thread, never on a stream thread. The model-side adapter
 * warm-starts from {@link Job#serving()}, replays every example (and a base sample for heads built
 * on a base data set) and applies the acceptance margin.
 */
@FunctionalInterface
public interface HeadRefiner {
  /** Trains and judges one candidate; exceptions count as {@link RetrainDecision#FAILED}. */
  Result refine(Job job);

  /**
   * What to train.
   *
   * @param head head name
   * @param serving the serving version (with its bytes), or {@code null} for a new head
   * @param examples every stored feedback example of the head
   */
  record Job(String head, HeadRecord serving, List<FeedbackRecord> examples) {
    public Job {
      requireNonNull(head, "head");
      examples = List.copyOf(requireNonNull(examples, "examples"));
    }
  }

  /**
   * What came out.
   *
   * @param decision accepted or why not
   * @param candidate the candidate head's bytes (one-file head format); set when accepted
   * @param backbone the backbone id the candidate was trained on; set when accepted
   * @param candidateF1 holdout F1 of the candidate, or {@code null}
   * @param servingF1 holdout F1 of the serving head, or {@code null} for a new head
   * @param trainExamples feedback examples trained on
   * @param holdoutExamples feedback examples held out
   * @param detail a short explanation for the log (error message, margin, ...)
   */
  record Result(
      RetrainDecision decision,
      byte[] candidate,
      String backbone,
      Double candidateF1,
      Double servingF1,
      int trainExamples,
      int holdoutExamples,
      String detail) {
    public Result {
      requireNonNull(decision, "decision");
      if (decision == RetrainDecision.ACCEPTED && (candidate == null || backbone == null)) {
        throw new IllegalArgumentException("an accepted result needs the candidate and backbone");
      }
    }

    /** A result without a candidate. */
    public static Result rejected(RetrainDecision decision, String detail) {
      return new Result(decision, null, null, null, null, 0, 0, detail);
    }
  }
}
