package dev.strata.model.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes the Hugging Face {@code tokenizer.json} equivalent to a BERT {@code vocab.txt}, so a
 * vocab.txt-only checkpoint can also run through {@link HfTokenizer} (and both paths can be
 * compared): {@code BertNormalizer} (clean text, CJK characters, lower-case and strip accents when
 * uncased), {@code BertPreTokenizer}, a {@code WordPiece} model with the {@code ##} prefix and 100
 * characters per word, and a {@code [CLS] $A [SEP]} template. No truncation, no padding.
 */
public final class TokenizerJsonWriter {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPECIAL_TOKENS =
      List.of("[PAD]", VocabFile.UNK, VocabFile.CLS, VocabFile.SEP, "[MASK]");

  private TokenizerJsonWriter() {}

  /**
   * Reads {@code vocabTxt} (UTF-8) and writes the equivalent tokenizer.json to {@code
   * tokenizerJson}.
   *
   * @param lowercase whether the vocabulary is uncased
   */
  public static void write(Path vocabTxt, boolean lowercase, Path tokenizerJson)
      throws IOException {
    Objects.requireNonNull(vocabTxt, "vocabTxt");
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    String json;
    try (Reader reader = Files.newBufferedReader(vocabTxt, StandardCharsets.UTF_8)) {
      json = toJson(reader, lowercase);
    }
    Files.writeString(tokenizerJson, json, StandardCharsets.UTF_8);
  }

  /** The tokenizer.json text for a vocabulary given one token per line (reader not closed). */
  public static String toJson(Reader vocabTxt, boolean lowercase) throws IOException {
    Objects.requireNonNull(vocabTxt, "vocabTxt");
    List<String> vocab = VocabFile.read(vocabTxt);
    for (String required : List.of(VocabFile.UNK, VocabFile.CLS, VocabFile.SEP)) {
      if (!vocab.contains(required)) {
        throw new IllegalArgumentException(
            "vocab.txt has no " + required + " token; a BERT vocabulary needs [UNK], [CLS], [SEP]");
      }
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("version", "1.0");
    root.putNull("truncation");
    root.putNull("padding");
    ArrayNode added = root.putArray("added_tokens");
    for (String token : SPECIAL_TOKENS) {
      int id = vocab.lastIndexOf(token);
      if (id >= 0) {
        added
            .addObject()
            .put("id", id)
            .put("content", token)
            .put("single_word", false)
            .put("lstrip", false)
            .put("rstrip", false)
            .put("normalized", false)
            .put("special", true);
      }
    }
    root.putObject("normalizer")
        .put("type", "BertNormalizer")
        .put("clean_text", true)
        .put("handle_chinese_chars", true)
        .put("strip_accents", lowercase)
        .put("lowercase", lowercase);
    root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
    root.set("post_processor", template(vocab));
    root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
    ObjectNode model = root.putObject("model");
    model
        .put("type", "WordPiece")
        .put("unk_token", VocabFile.UNK)
        .put("continuing_subword_prefix", "##")
        .put("max_input_chars_per_word", WordPieceTokenizer.DEFAULT_MAX_INPUT_CHARS_PER_WORD);
    ObjectNode ids = model.putObject("vocab");
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i); // a repeated token keeps its last id, as in BERT's reader
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** {@code TemplateProcessing}: single {@code [CLS] $A [SEP]}, pair {@code ... $B:1 [SEP]:1}. */
  private static ObjectNode template(List<String> vocab) {
    ObjectNode post = JSON.createObjectNode().put("type", "TemplateProcessing");
    ArrayNode single = post.putArray("single");
    special(single, VocabFile.CLS, 0);
    sequence(single, "A", 0);
    special(single, VocabFile.SEP, 0);
    ArrayNode pair = post.putArray("pair");
    special(pair, VocabFile.CLS, 0);
    sequence(pair, "A", 0);
    special(pair, VocabFile.SEP, 0);
    sequence(pair, "B", 1);
    special(pair, VocabFile.SEP, 1);
    ObjectNode specials = post.putObject("special_tokens");
    for (String token : List.of(VocabFile.CLS, VocabFile.SEP)) {
      ObjectNode entry = specials.putObject(token).put("id", token);
      entry.putArray("ids").add(vocab.lastIndexOf(token));
      entry.putArray("tokens").add(token);
    }
    return post;
  }

  private static void special(ArrayNode template, String token, int typeId) {
    template.addObject().putObject("SpecialToken").put("id", token).put("type_id", typeId);
  }

  private static void sequence(ArrayNode template, String id, int typeId) {
    template.addObject().putObject("Sequence").put("id", id).put("type_id", typeId);
  }
}
