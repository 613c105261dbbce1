package dev.strata.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TinyBert;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.head.BackboneShape;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.FusionOutput;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.text.WordPieceTokenizer;
import dev.strata.model.train.FeatureBatch;
import dev.strata.model.train.MaskedLoss;
import java.io.IOException;
import java.io.StringReader;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The cache against a tiny random BERT (3 layers, H = 16, 24 positions). */
class FeatureCacheTest {
  private static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "john",
          "walk", "##ed", "##s", "in", "berlin", "new", "york", ".", "smith", "lives", "a", "dog");
  private static final LabelSet LABELS = LabelSet.ofTypes(List.of("LOC", "PER"));

  private static TinyBert bert;
  private static BertEncoder encoder;
  private static SubwordTokenizer tokenizer;

  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    bert = new TinyBert(new BertConfig(3, 16, 4, 32, 50, 24, 2, 1e-12f, GeluVariant.ERF, -1e4f), 9);
    encoder = BertEncoder.load(bert.config, bert.store, Device.cpu());
    tokenizer =
        WordPieceTokenizer.fromVocab(new StringReader(String.join("\n", VOCAB) + "\n"), true);
  }

  @AfterAll
  static void close() {
    encoder.close();
    tokenizer.close();
  }

  private static Sentence s(String words, String tags) {
    return new Sentence(List.of(words.split(" ")), List.of(tags.split(" ")));
  }

  private static List<Sentence> sentences() {
    List<Sentence> out = new ArrayList<>();
    out.add(s("John walked in Berlin", "B-PER O O B-LOC"));
    out.add(s("the cat sat", "O O O"));
    out.add(s("John Smith lives in New York .", "B-PER I-PER O O B-LOC I-LOC O"));
    out.add(s("cats", "O"));
    // 20 words, 3 of them in two pieces: 25 sub-tokens with [CLS] and [SEP], one over the 24
    // positions, so the last word (berlin, position 23) is cut and john keeps position 22
    String longWords =
        "the dogs walked on a mat in new york the cats sat on a mat in york . john berlin";
    out.add(
        new Sentence(
            List.of(longWords.split(" ")), List.of(longWords.replaceAll("\\S+", "O").split(" "))));
    out.add(s("a dog", "O O"));
    out.add(s("Berlin", "B-LOC"));
    return out;
  }

  private FeatureCacheBuilder builder(List<Sentence> sentences, Path file) {
    return FeatureCache.builder()
        .setEncoder(encoder)
        .setTokenizer(tokenizer)
        .setSentences(sentences)
        .setPath(file)
        .setBackboneId("tiny-bert")
        .setChecksum("weights-v1")
        .optBatchSize(3);
  }

  private static Encoding encode(Sentence s) {
    return tokenizer.fit(tokenizer.encodeWords(s.words()), 24, OverflowPolicy.TRUNCATE).get(0);
  }

  @Test
  void cachedStatesEqualTheEncoderToFloat16Precision() {
    List<Sentence> data = sentences();
    AtomicInteger calls = new AtomicInteger();
    List<FeatureCache.Progress> seen = new ArrayList<>();
    try (FeatureCache cache =
        builder(data, dir.resolve("sub/train.cache"))
            .optProgress(
                p -> {
                  calls.incrementAndGet();
                  seen.add(p);
                })
            .build()) {
      FeatureCache.BuildReport r = cache.report();
      assertThat(r.reused()).isFalse();
      assertThat(r.reason()).isEqualTo("no cache file");
      assertThat(r.sentences()).isEqualTo(7);
      assertThat(r.truncatedSentences()).isEqualTo(1);
      assertThat(calls.get()).isEqualTo(3); // 7 sentences in batches of 3
      assertThat(seen.get(2).done()).isEqualTo(7);
      assertThat(cache.states()).isEqualTo(4);
      assertThat(cache.hidden()).isEqualTo(16);
      assertThat(cache.maxTokens()).isEqualTo(24);
      assertThat(cache.droppedTokens(4)).isEqualTo(1);
      assertThat(cache.tokens(4)).isEqualTo(24);
      long total = 0;
      for (int i = 0; i < data.size(); i++) {
        Encoding e = encode(data.get(i));
        assertThat(cache.tokens(i)).isEqualTo(e.length());
        assertThat(cache.wordIds(i)).containsExactly(e.wordIds());
        total += e.length();
        float[] got = cache.states(i);
        assertThat(got).hasSize(e.length() * 4 * 16);
        try (HiddenStates hs = encoder.forward(TokenBatch.of(List.of(e)))) {
          for (int n = 0; n < 4; n++) {
            float[][][] ref = hs.toArray(n);
            for (int t = 0; t < e.length(); t++) {
              for (int j = 0; j < 16; j++) {
                float want = ref[0][t][j];
                float have = got[(t * 4 + n) * 16 + j];
                // half has 11 significant bits: rounding error <= 2^-11 relative; 1e-5 absolute
                // allows for batch-versus-alone differences of the encoder itself
                assertThat(Math.abs(have - want))
                    .as("sentence %d state %d token %d dim %d", i, n, t, j)
                    .isLessThanOrEqualTo(Math.abs(want) * 0x1p-11f + 1e-5f);
              }
            }
          }
        }
      }
      assertThat(r.subTokens()).isEqualTo(total);
    }
  }

  @Test
  void batchHoldsPaddedStatesMaskAndFirstSubTokenLabels() {
    List<Sentence> data = sentences();
    try (FeatureCache cache = builder(data, dir.resolve("c")).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      // sentence 0: [CLS] john walk ##ed in berlin [SEP] -> 7 tokens; sentence 3: [CLS] cat ##s
      // [SEP] -> 4 tokens. Labels: O=0, B-LOC=1, I-LOC=2, B-PER=3, I-PER=4.
      assertThat(cache.tokens(0)).isEqualTo(7);
      assertThat(cache.tokens(3)).isEqualTo(4);
      assertThat(cache.firstSubTokens(0)).containsExactly(1, 2, 4, 5);
      try (CachedBatch b = cache.batch(m, new int[] {3, 0}, data, LABELS)) {
        assertThat(b.states().getShape()).isEqualTo(new Shape(2, 7, 4, 16));
        assertThat(b.states().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.mask().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.labels().getDataType()).isEqualTo(DataType.INT64);
        assertThat(b.mask().toFloatArray())
            .containsExactly(1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1);
        assertThat(b.labels().toLongArray())
            .containsExactly(-1, 0, -1, -1, -1, -1, -1, -1, 3, 0, -1, 0, 1, -1);
        float[] states = b.states().toFloatArray();
        float[] s3 = cache.states(3);
        float[] s0 = cache.states(0);
        int row = 7 * 4 * 16;
        for (int k = 0; k < s3.length; k++) {
          assertThat(states[k]).isEqualTo(s3[k]);
        }
        for (int k = s3.length; k < row; k++) {
          assertThat(states[k]).isZero();
        }
        for (int k = 0; k < s0.length; k++) {
          assertThat(states[row + k]).isEqualTo(s0[k]);
        }
      }
      // a truncated sentence: its words past the limit get no label position
      int[] first = cache.firstSubTokens(4);
      assertThat(first[first.length - 1]).isEqualTo(-1);
      assertThat(first[first.length - 2]).isEqualTo(22);
      try (CachedBatch b = cache.batch(m, new int[] {1})) {
        assertThat(b.labels()).isNull();
        assertThat(b.states().getShape()).isEqualTo(new Shape(1, 5, 4, 16));
      }
      assertThatThrownBy(() -> cache.batch(m, new int[] {0}, data.subList(0, 3), LABELS))
          .hasMessageContaining("pass the list the cache was built from");
      assertThatThrownBy(() -> cache.tokens(7)).isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void wordStartsPackTheFirstSubTokenOfEveryKeptWordIntoOneRow() {
    List<Sentence> data = sentences();
    try (FeatureCache cache = builder(data, dir.resolve("w")).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      // sentence 3 "cats": first sub-token 1, O; sentence 0 "John walked in Berlin": 1, 2, 4, 5;
      // sentence 4: 20 words, the last cut by the limit, so 19 positions
      try (CachedBatch b = cache.wordStarts(m, new int[] {3, 0, 4}, data, LABELS)) {
        int kept = 1 + 4 + 19;
        assertThat(b.states().getShape()).isEqualTo(new Shape(1, kept, 4, 16));
        assertThat(b.states().getDataType()).isEqualTo(DataType.FLOAT32);
        assertThat(b.mask().getShape()).isEqualTo(new Shape(1, kept));
        assertThat(b.mask().toFloatArray()).containsOnly(1f);
        long[] labels = b.labels().toLongArray();
        assertThat(labels).startsWith(0, 3, 0, 0, 1).hasSize(kept);
        assertThat(java.util.Arrays.copyOfRange(labels, 5, kept)).containsOnly(0L);
        float[] packed = b.states().toFloatArray();
        int width = 4 * 16;
        int k = 0;
        for (int i : new int[] {3, 0, 4}) {
          float[] states = cache.states(i);
          for (int t : cache.firstSubTokens(i)) {
            if (t < 0) {
              continue;
            }
            for (int j = 0; j < width; j++) {
              assertThat(packed[k * width + j])
                  .as("position %d of sentence %d", t, i)
                  .isEqualTo(states[t * width + j]);
            }
            k++;
          }
        }
        assertThat(k).isEqualTo(kept);
      }
      assertThatThrownBy(() -> cache.wordStarts(m, new int[] {0}, data.subList(0, 3), LABELS))
          .hasMessageContaining("pass the list the cache was built from");
      assertThatThrownBy(() -> cache.wordStarts(m, new int[0], data, LABELS))
          .hasMessageContaining("at least one sentence");
    }
  }

  /**
   * Training on word starts is exact for every head that keeps positions apart: the same loss and
   * the same gradient for every weight as the padded batch. {@code deeper} attends across
   * positions, so its loss differs, which is why training leaves it on padded batches.
   */
  @ParameterizedTest
  @EnumSource(HeadType.class)
  void wordStartsGiveTheLossAndGradientsOfThePaddedBatch(HeadType type) {
    List<Sentence> data = sentences();
    int[] idx = {3, 0, 4, 2};
    try (FeatureCache cache = builder(data, dir.resolve("g")).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      FusionModel model =
          FusionModel.builder()
              .setHeadConfig(
                  HeadConfig.builder().setType(type).optDropout(0f).optWeightDropout(0f).build())
              .setBackbone(BackboneShape.of(bert.config))
              .optTokenClasses(LABELS.size())
              .build();
      model.initialize(m, 7);
      for (Parameter p : model.getParameters().values()) {
        p.getArray().setRequiresGradient(true);
      }
      Map<String, float[]> padded = new LinkedHashMap<>();
      float paddedLoss = lossAndGradients(model, cache.batch(m, idx, data, LABELS), padded);
      Map<String, float[]> starts = new LinkedHashMap<>();
      float startsLoss = lossAndGradients(model, cache.wordStarts(m, idx, data, LABELS), starts);
      assertThat(starts.keySet()).containsExactlyElementsOf(padded.keySet());
      float worst = 0; // largest gradient difference, relative to the gradient's largest entry
      for (String name : padded.keySet()) {
        float[] want = padded.get(name);
        float[] have = starts.get(name);
        float scale = 0;
        for (float w : want) {
          scale = Math.max(scale, Math.abs(w));
        }
        assertThat(scale).as("gradient of %s", name).isPositive();
        for (int j = 0; j < want.length; j++) {
          worst = Math.max(worst, Math.abs(have[j] - want[j]) / scale);
        }
      }
      if (type.mixesTokens()) {
        assertThat(worst).isGreaterThan(1e-2f);
      } else {
        assertThat(startsLoss).isCloseTo(paddedLoss, within(1e-5f * Math.abs(paddedLoss)));
        assertThat(worst).isLessThan(1e-5f);
      }
    }
  }

  /**
   * One forward and backward pass: the loss, and every gradient by parameter name (then zeroed).
   */
  private static float lossAndGradients(
      FusionModel model, CachedBatch b, Map<String, float[]> gradients) {
    float loss;
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      ParameterStore ps = new ParameterStore(b.states().getManager(), false);
      FusionOutput out = model.run(ps, b.states(), b.mask(), true);
      NDArray l = MaskedLoss.total(out, new FeatureBatch(b.states(), b.mask(), b.labels(), null));
      collector.backward(l);
      loss = l.getFloat();
    }
    for (Parameter p : model.getParameters().values()) {
      NDArray grad = p.getArray().getGradient();
      gradients.put(p.getId(), grad.toFloatArray());
      grad.subi(grad);
    }
    return loss;
  }

  @Test
  void reopeningAMatchingCacheDoesNotRecompute() throws IOException {
    Path file = dir.resolve("c");
    List<Sentence> data = sentences();
    float[] before;
    try (FeatureCache first = builder(data, file).build()) {
      before = first.states(2);
    }
    FileTime written = Files.getLastModifiedTime(file);
    AtomicInteger calls = new AtomicInteger();
    try (FeatureCache again =
        builder(data, file).optProgress(p -> calls.incrementAndGet()).build()) {
      assertThat(again.report().reused()).isTrue();
      assertThat(again.report().reason()).isEqualTo("matching cache");
      assertThat(again.report().truncatedSentences()).isEqualTo(1);
      assertThat(calls.get()).isZero();
      assertThat(again.states(2)).containsExactly(before);
      again.close();
      assertThatThrownBy(() -> again.states(2)).hasMessageContaining("is closed");
    }
    assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);
    try (FeatureCache opened = FeatureCache.open(file)) {
      assertThat(opened.backboneId()).isEqualTo("tiny-bert");
      assertThat(opened.checksum()).isEqualTo("weights-v1");
      assertThat(opened.states(2)).containsExactly(before);
    }
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(file); // no temporary file left behind
    }
  }

  @Test
  void anotherChecksumSentencesOrStateSelectionRebuilds() {
    Path file = dir.resolve("c");
    List<Sentence> data = sentences();
    builder(data, file).build().close();
    try (FeatureCache c = builder(data, file).setChecksum("weights-v2").build()) {
      assertThat(c.report().reused()).isFalse();
      assertThat(c.report().reason())
          .isEqualTo("checksum differs: cache has 'weights-v1', asked 'weights-v2'");
      assertThat(c.checksum()).isEqualTo("weights-v2");
    }
    try (FeatureCache c = builder(data.subList(0, 5), file).setChecksum("weights-v2").build()) {
      assertThat(c.report().reason()).contains("sentences differ");
      assertThat(c.size()).isEqualTo(5);
    }
    try (FeatureCache c =
        builder(data.subList(0, 5), file).setChecksum("weights-v2").optStates(0, 3).build()) {
      assertThat(c.report().reason()).startsWith("states differ");
      assertThat(c.states()).isEqualTo(2);
      assertThat(c.stateIndices()).containsExactly(0, 3);
      Encoding e = encode(data.get(1));
      float[] got = c.states(1);
      try (HiddenStates hs = encoder.forward(TokenBatch.of(List.of(e)))) {
        float[][][] last = hs.toArray(3);
        for (int t = 0; t < e.length(); t++) {
          for (int j = 0; j < 16; j++) {
            assertThat(Math.abs(got[(t * 2 + 1) * 16 + j] - last[0][t][j]))
                .isLessThanOrEqualTo(Math.abs(last[0][t][j]) * 0x1p-11f + 1e-5f);
          }
        }
      }
    }
  }

  @Test
  void aCutShortFileIsRebuiltAndRefusedByOpen() throws IOException {
    Path file = dir.resolve("c");
    builder(sentences(), file).build().close();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    assertThatThrownBy(() -> FeatureCache.open(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("an interrupted write?");
    try (FeatureCache c = builder(sentences(), file).build()) {
      assertThat(c.report().reused()).isFalse();
      assertThat(c.report().reason()).startsWith("unreadable cache");
    }
    Files.writeString(file, "not a cache at all");
    assertThatThrownBy(() -> FeatureCache.open(file)).hasMessageContaining("bad magic");
  }

  @Test
  void badSettingsAreNamed() {
    assertThatThrownBy(() -> FeatureCache.builder().setEncoder(encoder).build())
        .hasMessageContaining("tokenizer (setTokenizer) is required");
    assertThatThrownBy(() -> builder(sentences(), dir.resolve("c")).optStates(4).build())
        .hasMessageContaining("state index 4 outside [0, 4)");
    assertThatThrownBy(() -> builder(sentences(), dir.resolve("c")).optMaxTokens(25).build())
        .hasMessageContaining("maxTokens must be in [3, 24]");
  }

  @Test
  void speedOnTheTinyModel() {
    Random r = new Random(3);
    List<String> words =
        VOCAB.subList(5, VOCAB.size()).stream().filter(w -> !w.startsWith("##")).toList();
    List<Sentence> data = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      int len = 1 + r.nextInt(15);
      List<String> ws = new ArrayList<>();
      List<String> tags = new ArrayList<>();
      for (int k = 0; k < len; k++) {
        ws.add(words.get(r.nextInt(words.size())));
        tags.add("O");
      }
      data.add(new Sentence(ws, tags));
    }
    Path file = dir.resolve("speed");
    try (FeatureCache c = builder(data, file).optBatchSize(32).build();
        NDManager m = NDManager.newBaseManager("PyTorch")) {
      double write = c.report().seconds();
      long t0 = System.nanoTime();
      int[] idx = new int[32];
      for (int from = 0; from + 32 <= data.size(); from += 32) {
        for (int k = 0; k < 32; k++) {
          idx[k] = from + k;
        }
        try (CachedBatch b = c.batch(m, idx, data, LabelSet.ofTypes(List.of()))) {
          assertThat(b.size()).isEqualTo(32);
        }
      }
      double read = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "feature cache, tiny model (S=4, H=16): wrote %d sentences / %d sub-tokens in %.2f s"
              + " (%.0f sentences/s), %d bytes; read them back as batches of 32 in %.2f s"
              + " (%.0f sentences/s)%n",
          data.size(),
          c.report().subTokens(),
          write,
          data.size() / write,
          file.toFile().length(),
          read,
          data.size() / read);
    }
  }
}
