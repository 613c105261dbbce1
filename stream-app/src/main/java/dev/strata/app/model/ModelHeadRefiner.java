package dev.strata.app.model;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.HeadRecords;
import dev.strata.app.feedback.HeadRefiner;
import dev.strata.app.feedback.RetrainDecision;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.Sentence;
import dev.strata.model.feedback.FeedbackExample;
import dev.strata.model.feedback.InvalidFeedbackException;
import dev.strata.model.feedback.RefineOutcome;
import dev.strata.model.feedback.RefineRequest;
import dev.strata.model.feedback.RefineSettings;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.schemas.avro.FeedbackRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HeadRefiner} over the model's {@link dev.strata.model.feedback.HeadRefiner}. A head never
 * published on the heads topic but served from {@code model.path} ({@code baseArtifacts}) is
 * warm-started from that file, and its base sample ({@code baseSamples}, e.g. CoNLL train
 * sentences) is replayed so that old knowledge is kept.
 */
public final class ModelHeadRefiner implements HeadRefiner {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHeadRefiner.class);

  private final LoadedBackbone backbone;
  private final RefineSettings settings;
  private final Map<String, HeadArtifact> baseArtifacts;
  private final Map<String, List<Sentence>> baseSamples;
  private final dev.strata.model.feedback.HeadRefiner refiner =
      new dev.strata.model.feedback.HeadRefiner();

  public ModelHeadRefiner(
      LoadedBackbone backbone,
      RefineSettings settings,
      Map<String, HeadArtifact> baseArtifacts,
      Map<String, List<Sentence>> baseSamples) {
    this.backbone = requireNonNull(backbone, "backbone");
    this.settings = requireNonNull(settings, "settings");
    this.baseArtifacts = Map.copyOf(requireNonNull(baseArtifacts, "baseArtifacts"));
    this.baseSamples = Map.copyOf(requireNonNull(baseSamples, "baseSamples"));
  }

  @Override
  public Result refine(Job job) {
    List<FeedbackExample> examples = new ArrayList<>(job.examples().size());
    for (FeedbackRecord r : job.examples()) {
      try {
        examples.add(ModelFeedbackValidator.toExample(r));
      } catch (InvalidFeedbackException e) {
        LOG.warn(
            "Stored feedback {} of head {} no longer validates: {}",
            r.getId(),
            job.head(),
            e.getMessage());
      }
    }
    HeadArtifact serving =
        job.serving() != null
            ? HeadArtifact.parse(HeadRecords.bytes(job.serving()))
            : baseArtifacts.get(job.head());
    RefineOutcome o =
        refiner.refine(
            RefineRequest.builder()
                .setBackbone(backbone)
                .setHead(job.head())
                .optServing(serving)
                .setFeedback(examples)
                .optBaseSample(baseSamples.getOrDefault(job.head(), List.of()))
                .setSettings(settings)
                .build());
    LOG.info("Refined {}", o.summary());
    RetrainDecision decision = RetrainDecision.valueOf(o.decision().name());
    return new Result(
        decision,
        o.candidate() == null ? null : o.candidate().bytes(),
        EntityTagger.ref(backbone).id(),
        finite(o.candidateF1()),
        serving == null ? null : finite(o.servingF1()),
        o.trainExamples(),
        o.holdoutExamples(),
        o.message()
            + String.format(
                " (encode %d ms, train %d ms, total %d ms)",
                o.encodeMillis(), o.trainMillis(), o.elapsedMillis()));
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
