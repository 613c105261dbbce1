package dev.strata.model.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.backbone.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory and the tokenizer.json writer. */
class TokenizersTest {

  @TempDir Path dir;

  @Test
  void vocabTxtOnlyGivesTheWordPieceTokenizer() throws IOException {
    Path vocab = TestVocabs.casedVocabTxt(dir);
    try (SubwordTokenizer t = Tokenizers.create(new TokenizerFiles(vocab, null, false))) {
      assertThat(t).isInstanceOf(WordPieceTokenizer.class);
      assertThat(t.lowercase()).isFalse();
      assertThat(t.encode("Hello").tokens()).containsExactly("[CLS]", "Hello", "[SEP]");
    }
  }

  @Test
  void tokenizerJsonIsPreferred() throws IOException {
    Path vocab = TestVocabs.casedVocabTxt(dir);
    Path json = dir.resolve("tokenizer.json");
    TokenizerJsonWriter.write(vocab, false, json);
    try (SubwordTokenizer t = Tokenizers.create(new TokenizerFiles(vocab, json, false))) {
      assertThat(t).isInstanceOf(HfTokenizer.class);
      assertThat(t.encode("Hello").tokens()).containsExactly("[CLS]", "Hello", "[SEP]");
    }
  }

  @Test
  void writerDescribesABertTokenizerWithoutLimits() throws IOException {
    Path json = dir.resolve("tokenizer.json");
    TokenizerJsonWriter.write(TestVocabs.casedVocabTxt(dir), true, json);
    JsonNode root = new ObjectMapper().readTree(Files.readString(json));
    assertThat(root.get("truncation").isNull()).isTrue();
    assertThat(root.get("padding").isNull()).isTrue();
    JsonNode normalizer = root.get("normalizer");
    assertThat(normalizer.get("type").asText()).isEqualTo("BertNormalizer");
    assertThat(normalizer.get("lowercase").asBoolean()).isTrue();
    assertThat(normalizer.get("strip_accents").asBoolean()).isTrue();
    assertThat(normalizer.get("clean_text").asBoolean()).isTrue();
    assertThat(normalizer.get("handle_chinese_chars").asBoolean()).isTrue();
    assertThat(root.at("/pre_tokenizer/type").asText()).isEqualTo("BertPreTokenizer");
    assertThat(root.at("/model/type").asText()).isEqualTo("WordPiece");
    assertThat(root.at("/model/continuing_subword_prefix").asText()).isEqualTo("##");
    assertThat(root.at("/model/max_input_chars_per_word").asInt()).isEqualTo(100);
    assertThat(root.at("/model/vocab/[CLS]").asInt()).isEqualTo(2);
    assertThat(root.at("/model/vocab").size()).isEqualTo(TestVocabs.CASED_VOCAB.size());
    assertThat(root.at("/post_processor/special_tokens/[SEP]/ids/0").asInt()).isEqualTo(3);
  }
}
