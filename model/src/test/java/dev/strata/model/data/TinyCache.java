package dev.strata.model.data;

import ai.djl.Device;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.encoder.TinyBert;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.text.WordPieceTokenizer;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The fixture of the cache tests: a tiny random BERT (3 layers, H = 16, 24 positions), its
 * WordPiece vocabulary and seven tagged sentences, one of them cut by the position limit. {@link
 * #open()} in {@code @BeforeAll}, {@link #close()} in {@code @AfterAll}.
 */
final class TinyCache {
  static final List<String> VOCAB =
      List.of(
          "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "john",
          "walk", "##ed", "##s", "in", "berlin", "new", "york", ".", "smith", "lives", "a", "dog");
  static final LabelSet LABELS = LabelSet.ofTypes(List.of("LOC", "PER"));

  static TinyBert bert;
  static BertEncoder encoder;
  static SubwordTokenizer tokenizer;

  private TinyCache() {}

  static void open() throws IOException {
    bert = new TinyBert(new BertConfig(3, 16, 4, 32, 50, 24, 2, 1e-12f, GeluVariant.ERF, -1e4f), 9);
    encoder = BertEncoder.load(bert.config, bert.store, Device.cpu());
    tokenizer =
        WordPieceTokenizer.fromVocab(new StringReader(String.join("\n", VOCAB) + "\n"), true);
  }

  static void close() {
    encoder.close();
    tokenizer.close();
  }

  static Sentence s(String words, String tags) {
    return new Sentence(List.of(words.split(" ")), List.of(tags.split(" ")));
  }

  static List<Sentence> sentences() {
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

  static FeatureCacheBuilder builder(List<Sentence> sentences, Path file) {
    return FeatureCache.builder()
        .setEncoder(encoder)
        .setTokenizer(tokenizer)
        .setSentences(sentences)
        .setPath(file)
        .setBackboneId("tiny-bert")
        .setChecksum("weights-v1")
        .optBatchSize(3);
  }
}
