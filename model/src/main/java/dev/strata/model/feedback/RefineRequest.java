package dev.strata.model.feedback;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.Sentence;
import dev.strata.model.serving.HeadArtifact;
import java.io.PrintStream;
import java.util.List;
import java.util.Objects;

/**
 * What to refine: a head of a backbone, from its stored feedback, starting from the serving head
 * when there is one. Build with {@link #builder()}.
 *
 * @param backbone the frozen encoder (shared with serving; only read)
 * @param head the head's name; every feedback example must name it
 * @param serving the serving head's artifact, or {@code null} for a new head
 * @param feedback every stored feedback example of the head (deduplicated by the caller)
 * @param baseSample labelled sentences the head was built on (e.g. CoNLL train), replayed so old
 *     knowledge is not forgotten; may be empty
 * @param settings split, training and gate settings
 * @param log progress lines, or {@code null}
 */
public record RefineRequest(
    LoadedBackbone backbone,
    String head,
    HeadArtifact serving,
    List<FeedbackExample> feedback,
    List<Sentence> baseSample,
    RefineSettings settings,
    PrintStream log) {

  public RefineRequest {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(head, "head");
    feedback = List.copyOf(Objects.requireNonNull(feedback, "feedback"));
    baseSample = baseSample == null ? List.of() : List.copyOf(baseSample);
    Objects.requireNonNull(settings, "settings");
    for (FeedbackExample e : feedback) {
      if (!e.head().equals(head)) {
        throw new IllegalArgumentException(
            "feedback example '" + e.id() + "' trains head '" + e.head() + "', not '" + head + "'");
      }
    }
    for (int i = 0; i < baseSample.size(); i++) {
      if (!baseSample.get(i).labeled()) {
        throw new IllegalArgumentException("base sentence " + (i + 1) + " has no tags");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder for {@link RefineRequest}. */
  public static final class Builder {
    private LoadedBackbone backbone;
    private String head;
    private HeadArtifact serving;
    private List<FeedbackExample> feedback;
    private List<Sentence> baseSample = List.of();
    private RefineSettings settings;
    private PrintStream log;

    private Builder() {}

    public Builder setBackbone(LoadedBackbone v) {
      backbone = v;
      return this;
    }

    public Builder setHead(String v) {
      head = v;
      return this;
    }

    /** The serving head to warm-start from and to beat (omit for a new head). */
    public Builder optServing(HeadArtifact v) {
      serving = v;
      return this;
    }

    public Builder setFeedback(List<FeedbackExample> v) {
      feedback = v;
      return this;
    }

    public Builder optBaseSample(List<Sentence> v) {
      baseSample = v;
      return this;
    }

    public Builder setSettings(RefineSettings v) {
      settings = v;
      return this;
    }

    public Builder optLog(PrintStream v) {
      log = v;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing field
     */
    public RefineRequest build() {
      if (backbone == null) {
        throw new IllegalArgumentException("backbone must be set");
      }
      if (head == null) {
        throw new IllegalArgumentException("head must be set");
      }
      if (feedback == null) {
        throw new IllegalArgumentException("feedback must be set (may be empty)");
      }
      if (settings == null) {
        throw new IllegalArgumentException("settings must be set");
      }
      return new RefineRequest(backbone, head, serving, feedback, baseSample, settings, log);
    }
  }
}
