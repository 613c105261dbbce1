package dev.strata.model.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadType;
import dev.strata.model.head.SaveInfo;
import dev.strata.model.ner.Entity;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.HeadEntity;
import dev.strata.model.serving.MiniLm;
import dev.strata.model.serving.ServingModel;
import dev.strata.model.serving.Synthetic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Refining heads from feedback on all-MiniLM-L6-v2: a new head learns a new entity type, a warm
 * start keeps the serving head's labels, the gate rejects a worse candidate.
 */
class HeadRefinerTest {
  private final HeadRefiner refiner = new HeadRefiner();

  private static RefineSettings.Builder settings() {
    return RefineSettings.builder()
        .setCacheDir(MiniLm.cacheDir())
        .optEpochs(15)
        .optBatchSize(8)
        .optLearningRate(3e-3f)
        .optMinExamples(20)
        .optMinHoldout(5)
        .optHoldoutFraction(0.2)
        .optSeed(7);
  }

  private static List<Entity> found(HeadArtifact head, String text) {
    try (ServingModel s = ServingModel.empty(MiniLm.backbone()).withHead("h", head)) {
      return s.annotate(List.of(text)).get(0).entities().stream().map(HeadEntity::entity).toList();
    }
  }

  @Test
  void newHeadLearnsANewEntityTypeFromFortyExamples() throws Exception {
    LoadedBackbone bb = MiniLm.backbone();
    RefineRequest request =
        RefineRequest.builder()
            .setBackbone(bb)
            .setHead("gadgets")
            .setFeedback(Synthetic.gadgetFeedback("gadgets", 40, 11))
            .setSettings(settings().build())
            .build();
    ExecutorService worker = Executors.newSingleThreadExecutor();
    RefineOutcome out;
    try {
      out = refiner.refineAsync(request, worker).get(5, TimeUnit.MINUTES);
    } finally {
      worker.shutdown();
    }
    assertThat(out.decision()).as(out.summary()).isEqualTo(RefineDecision.ACCEPTED);
    assertThat(out.holdoutExamples()).isEqualTo(8);
    assertThat(out.trainExamples()).isEqualTo(32);
    assertThat(out.servingF1()).isNaN();
    assertThat(out.candidateF1()).as(out.summary()).isGreaterThan(0.7);
    assertThat(out.labels()).containsExactly("O", "B-GADGET", "I-GADGET");
    assertThat(out.candidate().header().metadata()).containsEntry("feedbackExamples", "40");
    assertThat(found(out.candidate(), "The Fyrelink battery lasts two days ."))
        .extracting(Entity::label, Entity::text)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("GADGET", "Fyrelink"));
  }

  /**
   * 40 gadget examples on top of {@code serving}, replaying 40 of 60 people-and-places sentences.
   */
  private RefineOutcome refineGadgetsFrom(HeadArtifact serving) {
    return refiner.refine(
        RefineRequest.builder()
            .setBackbone(MiniLm.backbone())
            .setHead("conll")
            .optServing(serving)
            .setFeedback(Synthetic.gadgetFeedback("conll", 40, 11))
            .optBaseSample(Synthetic.peopleAndPlaces(60, 9))
            .setSettings(settings().optMaxBaseReplay(40).build())
            .build());
  }

  @Test
  void warmStartFromTheServingHeadKeepsItsLabels() {
    HeadArtifact serving = MiniLm.peopleHead();
    RefineOutcome out = refineGadgetsFrom(serving);
    assertThat(out.decision()).as(out.summary()).isEqualTo(RefineDecision.ACCEPTED);
    assertThat(out.baseExamples()).isEqualTo(40);
    assertThat(out.labels())
        .containsExactly(
            "O", "B-GADGET", "I-GADGET", "B-LOC", "I-LOC", "B-ORG", "I-ORG", "B-PER", "I-PER");
    assertThat(out.servingF1()).isLessThan(out.candidateF1());
    assertThat(out.candidate().header().metadata()).containsEntry("refinedFrom", serving.sha256());
    assertThat(found(out.candidate(), "Anna visited Vienna ."))
        .extracting(Entity::label)
        .containsExactly("PER", "LOC");
    assertThat(found(out.candidate(), "Is the Nuvio worth the money ?"))
        .extracting(Entity::label)
        .containsExactly("GADGET");
  }

  @Test
  void refinementKeepsTheServingHeadsSettings() {
    HeadConfig scaled = HeadConfig.builder().setType(HeadType.DWATT).optScaleLogits(true).build();
    HeadArtifact serving = MiniLm.train(scaled, Synthetic.peopleAndPlaces(60, 1));
    RefineOutcome out = refineGadgetsFrom(serving);
    assertThat(out.decision()).as(out.summary()).isEqualTo(RefineDecision.ACCEPTED);
    assertThat(serving.header().head().scaleLogits()).isTrue();
    assertThat(out.candidate().header().head()).isEqualTo(scaled);
  }

  @Test
  void gateRejectsAWorseCandidate() {
    // careless feedback: the training part marks no gadgets at all, while the held-out part (and
    // the serving head) do; the candidate unlearns the type and must not be published
    RefineSettings s = settings().build();
    List<FeedbackExample> good = Synthetic.gadgetFeedback("gadgets", 40, 11);
    FeedbackSplit split = FeedbackSplit.of(good, List.of(), s);
    List<FeedbackExample> feedback = new ArrayList<>(split.holdout());
    for (FeedbackExample e : split.train()) {
      feedback.add(FeedbackExamples.fromSpans(e.id(), e.head(), e.text(), List.of()));
    }
    RefineOutcome out =
        refiner.refine(
            RefineRequest.builder()
                .setBackbone(MiniLm.backbone())
                .setHead("gadgets")
                .optServing(MiniLm.gadgetHead())
                .setFeedback(feedback)
                .setSettings(s)
                .build());
    assertThat(out.decision()).as(out.summary()).isEqualTo(RefineDecision.REJECTED_WORSE);
    assertThat(out.candidate()).isNull();
    assertThat(out.servingF1()).isGreaterThan(0.7);
    assertThat(out.candidateF1()).isLessThan(out.servingF1() - s.margin());
    assertThat(out.message()).contains("<");
  }

  @Test
  void tooFewExamplesOrClassFeedbackTrainNothing() {
    RefineOutcome few =
        refiner.refine(
            RefineRequest.builder()
                .setBackbone(MiniLm.backbone())
                .setHead("g")
                .setFeedback(Synthetic.gadgetFeedback("g", 19, 1))
                .setSettings(settings().build())
                .build());
    assertThat(few.decision()).isEqualTo(RefineDecision.REJECTED_TOO_FEW_EXAMPLES);
    assertThat(few.message()).contains("19").contains("minExamples");
    List<FeedbackExample> mixed = new ArrayList<>(Synthetic.gadgetFeedback("g", 30, 1));
    mixed.add(FeedbackExamples.fromClassLabel("c", "g", "Stocks fell .", "finance"));
    RefineOutcome cls =
        refiner.refine(
            RefineRequest.builder()
                .setBackbone(MiniLm.backbone())
                .setHead("g")
                .setFeedback(mixed)
                .setSettings(settings().build())
                .build());
    assertThat(cls.decision()).isEqualTo(RefineDecision.FAILED);
    assertThat(cls.message()).contains("class-label");
  }

  /** An untrained head with a token and a sequence classifier (only the API makes one). */
  private static HeadArtifact entitiesAndClassesHead() {
    LoadedBackbone backbone = MiniLm.backbone();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      FusionModel model =
          FusionModel.builder()
              .setHeadConfig(HeadConfig.of(HeadType.DWATT))
              .setBackbone(BackboneShape.of(backbone.encoder().config()))
              .optTokenClasses(3)
              .optSequenceClasses(2)
              .build();
      model.initialize(m, 1);
      SaveInfo info =
          new SaveInfo(
              EntityTagger.ref(backbone),
              List.of("O", "B-PER", "I-PER"),
              List.of("finance", "sport"),
              Map.of(),
              Map.of());
      return HeadArtifact.parse(HeadModelFile.toBytes(model, info));
    }
  }

  @Test
  void aServingHeadThatAlsoClassifiesTextsIsRefusedBeforeTraining() {
    RefineOutcome out =
        refiner.refine(
            RefineRequest.builder()
                .setBackbone(MiniLm.backbone())
                .setHead("g")
                .setFeedback(Synthetic.gadgetFeedback("g", 40, 1))
                .setSettings(settings().build())
                .optServing(entitiesAndClassesHead())
                .build());
    assertThat(out.decision()).as(out.summary()).isEqualTo(RefineDecision.FAILED);
    assertThat(out.message())
        .contains("also classifies texts")
        .contains("[finance, sport]")
        .contains("--task classify");
    assertThat(out.candidate()).isNull();
    assertThat(out.trainExamples()).isZero();
  }

  @Test
  void splitIsDeterministicAndIgnoresStoreOrder() {
    List<FeedbackExample> fb = Synthetic.gadgetFeedback("g", 40, 3);
    List<FeedbackExample> shuffled = new ArrayList<>(fb);
    Collections.shuffle(shuffled, new java.util.Random(1));
    RefineSettings s = settings().build();
    FeedbackSplit a = FeedbackSplit.of(fb, List.of(), s);
    FeedbackSplit b = FeedbackSplit.of(shuffled, List.of(), s);
    assertThat(a).isEqualTo(b);
    assertThat(a.holdout()).hasSize(8);
    assertThat(a.train()).hasSize(32).doesNotContainAnyElementsOf(a.holdout());
    // a small store still keeps minHoldout out and one example in
    assertThat(FeedbackSplit.of(fb.subList(0, 6), List.of(), s).holdout()).hasSize(5);
  }
}
