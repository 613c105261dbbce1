package dev.strata.model.feedback;

import dev.strata.model.serving.HeadArtifact;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of a refinement, for the decision log and metrics.
 *
 * @param head the head's name
 * @param decision what was concluded
 * @param candidate the new head to publish when {@code ACCEPTED}, else {@code null}
 * @param candidateF1 entity F1 of the candidate on the holdout (NaN when nothing was trained)
 * @param servingF1 entity F1 of the serving head on the same holdout (NaN for a new head or when
 *     nothing was trained)
 * @param feedbackExamples feedback examples given
 * @param trainExamples feedback examples trained on
 * @param holdoutExamples feedback examples held out
 * @param baseExamples base sentences replayed
 * @param labels the candidate's token labels (empty when nothing was trained)
 * @param encodeMillis time spent computing encoder states
 * @param trainMillis time spent training the head
 * @param elapsedMillis total wall time
 * @param message one line saying why (for logs)
 */
public record RefineOutcome(
    String head,
    RefineDecision decision,
    HeadArtifact candidate,
    double candidateF1,
    double servingF1,
    int feedbackExamples,
    int trainExamples,
    int holdoutExamples,
    int baseExamples,
    List<String> labels,
    long encodeMillis,
    long trainMillis,
    long elapsedMillis,
    String message) {

  public RefineOutcome {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(decision, "decision");
    labels = labels == null ? List.of() : List.copyOf(labels);
    Objects.requireNonNull(message, "message");
    if (decision.publishes() != (candidate != null)) {
      throw new IllegalArgumentException("a candidate comes with ACCEPTED and only with it");
    }
  }

  /** One log line with every number. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "head %s: %s (candidate F1 %.4f, serving F1 %.4f; feedback %d = %d train + %d holdout;"
            + " base %d; encode %d ms, train %d ms, total %d ms): %s",
        head,
        decision,
        candidateF1,
        servingF1,
        feedbackExamples,
        trainExamples,
        holdoutExamples,
        baseExamples,
        encodeMillis,
        trainMillis,
        elapsedMillis,
        message);
  }
}
