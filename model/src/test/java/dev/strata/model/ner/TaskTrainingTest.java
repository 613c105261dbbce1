package dev.strata.model.ner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.LabeledText;
import dev.strata.model.data.Sentence;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.encoder.TinyBert;
import dev.strata.model.eval.EntityScores;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadModelException;
import dev.strata.model.head.HeadType;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.weights.SafetensorsWriter;
import dev.strata.model.weights.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on a tiny random BERT saved as a Hugging Face folder: cached states, training with
 * early stopping on dev F1, saving, loading, annotating raw text with character offsets, and the
 * backbone check when loading.
 */
class TaskTrainingTest {
  private static final BertConfig TINY =
      new BertConfig(2, 32, 4, 64, 24, 64, 2, 1e-12f, GeluVariant.ERF, -10000f);
  private static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "alice", "bob", "carol", "paris", "berlin", "london",
          "visited", "met", "in", "the", "and", ".", "acme", "globex", "at", "works", "today", "x",
          "y", "z");
  private static final String[] PEOPLE = {"alice", "bob", "carol"};
  private static final String[] PLACES = {"paris", "berlin", "london"};
  private static final String[] ORGS = {"acme", "globex"};

  @TempDir static Path work;
  private static LoadedBackbone backbone;

  @BeforeAll
  static void openBackbone() throws Exception {
    backbone = LoadedBackbone.open("hf:" + writeFolder(work.resolve("tiny"), 3), "cpu");
  }

  @AfterAll
  static void closeBackbone() {
    backbone.close();
  }

  static Path writeFolder(Path folder, long seed) throws Exception {
    Files.createDirectories(folder);
    TinyBert tiny = new TinyBert(TINY, seed);
    List<Tensor> tensors = new ArrayList<>();
    for (String n : tiny.store.names()) {
      tensors.add(tiny.store.tensor(n));
    }
    SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, Map.of());
    Files.write(folder.resolve("vocab.txt"), VOCAB);
    Files.writeString(
        folder.resolve("config.json"),
        "{\"num_hidden_layers\":2,\"hidden_size\":32,\"num_attention_heads\":4,"
            + "\"intermediate_size\":64,\"vocab_size\":24,\"max_position_embeddings\":64,"
            + "\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\"}");
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"do_lower_case\":true}");
    return folder;
  }

  /** "Alice visited Paris ." / "Bob works at Acme in London ." with IOB2 tags. */
  static List<Sentence> sentences(int n, long seed) {
    Random r = new Random(seed);
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String person = cap(PEOPLE[r.nextInt(PEOPLE.length)]);
      String place = cap(PLACES[r.nextInt(PLACES.length)]);
      if (r.nextBoolean()) {
        out.add(
            new Sentence(
                List.of(person, "visited", place, "."), List.of("B-PER", "O", "B-LOC", "O")));
      } else {
        String org = cap(ORGS[r.nextInt(ORGS.length)]);
        out.add(
            new Sentence(
                List.of(person, "works", "at", org, "in", place, "."),
                List.of("B-PER", "O", "O", "B-ORG", "O", "B-LOC", "O")));
      }
    }
    return out;
  }

  private static String cap(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static TaskTraining.Options options(HeadType type) {
    return new TaskTraining.Options(
        HeadConfig.of(type),
        TrainingConfig.builder()
            .optLearningRate(1e-2f)
            .optBatchSize(8)
            .optEpochs(15)
            .optEvalEvery(10)
            .optPatience(20)
            .optSeed(7)
            .build(),
        work.resolve("cache"),
        null);
  }

  @Test
  void dwattTaggerLearnsSavesLoadsAndAnnotatesWithOffsets() throws Exception {
    List<Sentence> train = sentences(60, 1);
    List<Sentence> dev = sentences(20, 2);
    Path file = work.resolve("tagger.strata");
    try (TrainedModel trained =
        TaskTraining.trainTagger(backbone, train, dev, options(HeadType.DWATT))) {
      assertThat(trained.result().bestDevScore()).isGreaterThanOrEqualTo(0.9);
      assertThat(trained.tokenLabels()).contains("O", "B-LOC", "B-ORG", "B-PER");
      trained.save(file);
    }
    try (EntityTagger tagger = EntityTagger.load(file, backbone)) {
      EntityScores scores =
          TaskTraining.evaluate(tagger, backbone, sentences(20, 3), work.resolve("cache"), null);
      assertThat(scores.f1()).isGreaterThanOrEqualTo(0.9);

      String text = "Carol works at Globex in Berlin.";
      Annotation a = tagger.annotate(text);
      assertThat(a.windows()).isEqualTo(1);
      assertThat(a.entities())
          .extracting(Entity::label, Entity::start, Entity::end, Entity::text)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("PER", 0, 5, "Carol"),
              org.assertj.core.groups.Tuple.tuple("ORG", 15, 21, "Globex"),
              org.assertj.core.groups.Tuple.tuple("LOC", 25, 31, "Berlin"));
      for (Entity e : a.entities()) {
        assertThat(e.score()).isBetween(0.5f, 1f);
        float[] w = e.layerWeights();
        assertThat(w).hasSize(3);
        float sum = 0;
        for (float f : w) {
          sum += f;
        }
        assertThat(sum).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  private static List<List<String>> tagsInBatchesOf8(
      dev.strata.model.head.FusionModel model,
      dev.strata.model.data.LabelSet labels,
      dev.strata.model.data.FeatureCache cache,
      EntityTagger.CachedOrder order) {
    return EntityTagger.predictTags(model, labels, cache, 8, TagDecoding.IOB2_VITERBI, order);
  }

  @Test
  void batchesSortedByLengthOrOfWordStartsGiveTheSameTagsInCacheOrder() {
    // sentences of 4 to 21 words, shuffled, so that sorting by length reorders them
    List<Sentence> base = sentences(90, 11);
    List<Sentence> mixed = new ArrayList<>();
    Random r = new Random(12);
    for (int i = 0; i + 3 <= base.size(); i += 3) {
      int parts = 1 + r.nextInt(3);
      List<String> words = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      for (int p = 0; p < parts; p++) {
        words.addAll(base.get(i + p).words());
        tags.addAll(base.get(i + p).tags());
      }
      mixed.add(new Sentence(words, tags));
    }
    TaskTraining.Options o = options(HeadType.DWATT);
    try (TrainedModel trained = TaskTraining.trainTagger(backbone, sentences(60, 1), null, o)) {
      TaskTraining.CachedData data = TaskTraining.CachedData.of(backbone, "mixed", mixed, o);
      try {
        int[] order = EntityTagger.byLength(data.cache());
        assertThat(order)
            .containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, mixed.size()).toArray());
        assertThat(order).isNotEqualTo(java.util.stream.IntStream.range(0, mixed.size()).toArray());
        for (int i = 1; i < order.length; i++) {
          assertThat(data.cache().tokens(order[i]))
              .isGreaterThanOrEqualTo(data.cache().tokens(order[i - 1]));
        }
        var labels = dev.strata.model.data.LabelSet.of(trained.tokenLabels());
        List<List<String>> inOrder =
            tagsInBatchesOf8(trained.model(), labels, data.cache(), EntityTagger.CachedOrder.INPUT);
        List<List<String>> sorted =
            tagsInBatchesOf8(
                trained.model(), labels, data.cache(), EntityTagger.CachedOrder.BY_LENGTH);
        assertThat(sorted).isEqualTo(inOrder);
        // dwatt keeps positions apart, so by default it sees word starts only; every padded
        // position, special token and continuation piece shown as well gives the same tags
        List<List<String>> everyPosition =
            EntityTagger.predictTags(
                trained.model(),
                labels,
                data.cache(),
                8,
                TagDecoding.IOB2_VITERBI,
                EntityTagger.CachedOrder.INPUT,
                EntityTagger.CachedPositions.ALL);
        assertThat(everyPosition).isEqualTo(sorted);
        assertThat(
                EntityTagger.predictTags(
                    trained.model(),
                    labels,
                    data.cache(),
                    8,
                    TagDecoding.IOB2_VITERBI,
                    EntityTagger.CachedOrder.BY_LENGTH,
                    EntityTagger.CachedPositions.ALL))
            .isEqualTo(everyPosition);
        var deeper =
            dev.strata.model.head.FusionModel.builder()
                .setHeadConfig(HeadConfig.of(HeadType.DEEPER))
                .setBackbone(dev.strata.model.head.BackboneShape.of(backbone.encoder().config()))
                .optTokenClasses(labels.size())
                .build();
        assertThatThrownBy(
                () ->
                    EntityTagger.predictTags(
                        deeper,
                        labels,
                        data.cache(),
                        8,
                        TagDecoding.IOB2_VITERBI,
                        EntityTagger.CachedOrder.INPUT,
                        EntityTagger.CachedPositions.WORD_STARTS))
            .hasMessageContaining("deeper head attends across positions");
        // deeper sees padded batches: a batch padded to its longest sentence (sorted) tags as
        // one of mixed lengths (input order) does, padding being masked
        try (TrainedModel trainedDeeper =
            TaskTraining.trainTagger(backbone, sentences(60, 1), null, options(HeadType.DEEPER))) {
          var deeperLabels = dev.strata.model.data.LabelSet.of(trainedDeeper.tokenLabels());
          List<List<String>> deeperInOrder =
              tagsInBatchesOf8(
                  trainedDeeper.model(),
                  deeperLabels,
                  data.cache(),
                  EntityTagger.CachedOrder.INPUT);
          assertThat(
                  tagsInBatchesOf8(
                      trainedDeeper.model(),
                      deeperLabels,
                      data.cache(),
                      EntityTagger.CachedOrder.BY_LENGTH))
              .isEqualTo(deeperInOrder);
          assertThat(deeperInOrder.stream().flatMap(List::stream)).anyMatch(t -> !t.equals("O"));
        }
        for (int i = 0; i < mixed.size(); i++) {
          assertThat(sorted.get(i)).hasSameSizeAs(mixed.get(i).words());
        }
        assertThat(sorted.stream().flatMap(List::stream)).anyMatch(t -> !t.equals("O"));
      } finally {
        data.cache().close();
      }
    }
  }

  @Test
  void longTextIsSplitIntoWindowsAndNothingIsLost() throws Exception {
    Path file = work.resolve("last.strata");
    try (TrainedModel trained =
        TaskTraining.trainTagger(
            backbone, sentences(60, 4), sentences(20, 5), options(HeadType.LAST))) {
      trained.save(file);
    }
    StringBuilder sb = new StringBuilder();
    int sentencesInText = 12; // 12 x 7 words > 62 tokens per window
    for (int i = 0; i < sentencesInText; i++) {
      sb.append("Bob works at Acme in Paris. ");
    }
    String text = sb.toString().trim();
    try (EntityTagger tagger = EntityTagger.load(file, backbone)) {
      Annotation a = tagger.annotate(text);
      // 84 sub-tokens do not fit the tiny encoder's 64 positions: two windows, no token dropped.
      assertThat(a.windows()).isEqualTo(2);
      assertThat(a.subTokens()).isEqualTo(7 * sentencesInText);
      assertThat(a.entities()).isNotEmpty();
      for (Entity e : a.entities()) {
        assertThat(text.substring(e.start(), e.end())).isEqualTo(e.text());
      }
      // The second window was tagged too (this tiny model is only reliable at the short
      // positions it was trained on, so the test checks coverage, not accuracy).
      assertThat(a.entities()).anyMatch(e -> e.start() > text.length() * 3 / 4);
    }
  }

  @Test
  void classifierLearnsFromLabelledTexts() {
    List<LabeledText> train = new ArrayList<>();
    List<LabeledText> dev = new ArrayList<>();
    Random r = new Random(9);
    for (int i = 0; i < 80; i++) {
      boolean travel = r.nextBoolean();
      String p = PEOPLE[r.nextInt(3)];
      String text =
          travel ? p + " visited " + PLACES[r.nextInt(3)] : p + " works at " + ORGS[r.nextInt(2)];
      (i < 60 ? train : dev).add(new LabeledText(travel ? "travel" : "work", text));
    }
    try (TrainedModel trained =
        TaskTraining.trainClassifier(backbone, train, dev, options(HeadType.CONCAT))) {
      assertThat(trained.sequenceLabels()).containsExactly("travel", "work");
      assertThat(trained.result().bestDevScore()).isGreaterThanOrEqualTo(0.9);
      try (EntityTagger tagger = trained.tagger()) {
        Annotation a = tagger.annotate("alice visited london");
        assertThat(a.classLabel()).isEqualTo("travel");
        assertThat(a.classProbabilities().get("travel")).isGreaterThan(0.5f);
        assertThat(a.entities()).isEmpty();
      }
    }
  }

  @Test
  void aModelIsRefusedOnOtherBackboneWeights() throws Exception {
    Path file = work.resolve("refuse.strata");
    try (TrainedModel trained =
        TaskTraining.trainTagger(backbone, sentences(20, 6), null, options(HeadType.LAST))) {
      trained.save(file);
    }
    Path other = writeFolder(work.resolve("other"), 99);
    try (LoadedBackbone otherBackbone = LoadedBackbone.open("hf:" + other, "cpu")) {
      assertThatThrownBy(() -> EntityTagger.load(file, otherBackbone))
          .isInstanceOf(HeadModelException.class)
          .hasMessageContaining("trained on backbone");
    }
  }
}
