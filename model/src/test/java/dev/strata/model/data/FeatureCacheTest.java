package dev.strata.model.data;

import static dev.strata.model.data.TinyCache.LABELS;
import static dev.strata.model.data.TinyCache.VOCAB;
import static dev.strata.model.data.TinyCache.builder;
import static dev.strata.model.data.TinyCache.encoder;
import static dev.strata.model.data.TinyCache.sentences;
import static dev.strata.model.data.TinyCache.tokenizer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache against a tiny random BERT ({@link TinyCache}); word-start batches in {@link
 * WordStartsTest}.
 */
class FeatureCacheTest {
  @TempDir Path dir;

  @BeforeAll
  static void load() throws IOException {
    TinyCache.open();
  }

  @AfterAll
  static void close() {
    TinyCache.close();
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
