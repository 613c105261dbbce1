package dev.strata.model.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.text.EncodingAssembly.Special;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * WordPiece tokeniser backed by the Hugging Face tokenizers library (DJL's {@link
 * HuggingFaceTokenizer}), loaded offline from a {@code tokenizer.json}; never by model name.
 *
 * <p>Truncation and padding stored in the file are turned off ({@link #fit} applies the length
 * limit) and {@code [CLS]}/{@code [SEP]} are added. Special tokens listed in {@code added_tokens}
 * are not matched inside the text: a user's literal {@code "[SEP]"} is tokenised as {@code [ , sep,
 * ]}, as Google's BERT does, instead of becoming a separator. The native library counts offsets in
 * code points; this class converts them to UTF-16 indices.
 *
 * <p>Thread-safe; {@link #close()} frees the native tokenizer.
 */
public final class HfTokenizer implements SubwordTokenizer {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> OPTIONS =
      Map.of("addSpecialTokens", "true", "truncation", "false", "padding", "false");

  private final HuggingFaceTokenizer tokenizer;
  private final boolean lowercase;
  private final int vocabSize;
  private final Special cls;
  private final Special sep;
  private final Special unk;

  private HfTokenizer(JsonNode root, String source) throws IOException {
    JsonNode model = root.path("model");
    if (!"WordPiece".equals(model.path("type").asText())) {
      throw new IllegalArgumentException(
          source
              + " holds a "
              + model.path("type").asText("(missing)")
              + " model; Strata needs a BERT WordPiece tokenizer.json (or give vocab.txt)");
    }
    String unkToken = model.path("unk_token").asText(VocabFile.UNK);
    JsonNode unkId = model.path("vocab").get(unkToken);
    if (unkId == null || !unkId.canConvertToInt()) {
      throw new IllegalArgumentException(
          source + " has no id for its unknown token " + unkToken + " in model.vocab");
    }
    this.unk = new Special(unkId.asInt(), unkToken);
    this.lowercase = lowercases(root.path("normalizer"));
    this.vocabSize = vocabSize(root);
    String json = JSON.writeValueAsString(withoutLimitsAndSpecialMatching((ObjectNode) root));
    this.tokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), OPTIONS);
    try {
      ai.djl.huggingface.tokenizers.Encoding empty = tokenizer.encode("");
      String[] tokens = empty.getTokens();
      if (tokens.length != 2) {
        throw new IllegalArgumentException(
            source
                + " adds "
                + List.of(tokens)
                + " around an empty text; Strata needs [CLS] $A [SEP] (a BERT post_processor)");
      }
      this.cls = new Special((int) empty.getIds()[0], tokens[0]);
      this.sep = new Special((int) empty.getIds()[1], tokens[1]);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
  }

  /** Loads {@code tokenizer.json} from a file. */
  public static HfTokenizer fromFile(Path tokenizerJson) throws IOException {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    try (InputStream in = Files.newInputStream(tokenizerJson)) {
      return new HfTokenizer(parse(in, tokenizerJson.toString()), tokenizerJson.toString());
    }
  }

  /** Loads {@code tokenizer.json} from a stream (not closed), e.g. a classpath resource. */
  public static HfTokenizer fromStream(InputStream tokenizerJson) throws IOException {
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    return new HfTokenizer(parse(tokenizerJson, "tokenizer.json"), "tokenizer.json");
  }

  private static JsonNode parse(InputStream in, String source) throws IOException {
    JsonNode root = JSON.readTree(in);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + " is not a JSON object; is it a tokenizer.json?");
    }
    return root;
  }

  private static ObjectNode withoutLimitsAndSpecialMatching(ObjectNode root) {
    root.putNull("truncation");
    root.putNull("padding");
    JsonNode added = root.path("added_tokens");
    if (added.isArray()) {
      ArrayNode kept = JSON.createArrayNode();
      for (JsonNode token : added) {
        if (!token.path("special").asBoolean(false)) {
          kept.add(token);
        }
      }
      root.set("added_tokens", kept);
    }
    return root;
  }

  private static boolean lowercases(JsonNode normalizer) {
    if (normalizer == null || normalizer.isNull() || normalizer.isMissingNode()) {
      return false;
    }
    String type = normalizer.path("type").asText();
    if ("BertNormalizer".equals(type)) {
      return normalizer.path("lowercase").asBoolean(false);
    }
    if ("Lowercase".equals(type)) {
      return true;
    }
    for (JsonNode child : normalizer.path("normalizers")) {
      if (lowercases(child)) {
        return true;
      }
    }
    return false;
  }

  private static int vocabSize(JsonNode root) {
    int max = -1;
    for (Iterator<JsonNode> it = root.path("model").path("vocab").elements(); it.hasNext(); ) {
      max = Math.max(max, it.next().asInt());
    }
    for (JsonNode token : root.path("added_tokens")) {
      max = Math.max(max, token.path("id").asInt());
    }
    return max + 1;
  }

  @Override
  public Encoding encode(String text) {
    Objects.requireNonNull(text, "text");
    String clean = BertChars.replaceLoneSurrogates(text);
    int[] charIndex = BertChars.codePointToCharIndex(clean);
    List<Piece> pieces = toPieces(tokenizer.encode(clean), w -> charIndex, w -> 0);
    return EncodingAssembly.assemble(cls, sep, pieces, EncodingAssembly.wordCount(pieces));
  }

  @Override
  public Encoding encodeWords(List<String> words) {
    Objects.requireNonNull(words, "words");
    int[] wordStarts = EncodingAssembly.wordStarts(words);
    String[] clean = new String[words.size()];
    int[][] charIndex = new int[clean.length][];
    for (int w = 0; w < clean.length; w++) {
      clean[w] = BertChars.replaceLoneSurrogates(words.get(w));
      charIndex[w] = BertChars.codePointToCharIndex(clean[w]);
    }
    // offsets of pre-split input are relative to each word: convert per word, then shift
    List<Piece> pieces = toPieces(tokenizer.encode(clean), w -> charIndex[w], w -> wordStarts[w]);
    return EncodingAssembly.assembleWords(cls, sep, unk, pieces, words, wordStarts);
  }

  /**
   * The non-special tokens as pieces, offsets converted from code points to UTF-16 indices with the
   * table of the token's word and shifted by the word's start.
   */
  private static List<Piece> toPieces(
      ai.djl.huggingface.tokenizers.Encoding encoded,
      IntFunction<int[]> charIndexOfWord,
      IntUnaryOperator shiftOfWord) {
    long[] ids = encoded.getIds();
    String[] tokens = encoded.getTokens();
    long[] wordIds = encoded.getWordIds();
    long[] specialMask = encoded.getSpecialTokenMask();
    CharSpan[] spans = encoded.getCharTokenSpans();
    List<Piece> pieces = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      if (spans[i] == null || wordIds[i] < 0 || specialMask[i] == 1) {
        continue;
      }
      int w = (int) wordIds[i];
      int[] charIndex = charIndexOfWord.apply(w);
      int shift = shiftOfWord.applyAsInt(w);
      pieces.add(
          new Piece(
              (int) ids[i],
              tokens[i],
              w,
              shift + charIndex[spans[i].getStart()],
              shift + charIndex[spans[i].getEnd()]));
    }
    return pieces;
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public boolean lowercase() {
    return lowercase;
  }

  /** Frees the native tokenizer. */
  @Override
  public void close() {
    tokenizer.close();
  }
}
