package dev.strata.model.text;

import dev.strata.model.text.BertWordSplitter.Word;
import dev.strata.model.text.EncodingAssembly.Special;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * BERT WordPiece tokeniser built from a {@code vocab.txt} alone, in pure Java.
 *
 * <p>Prefer {@link HfTokenizer} (the Hugging Face tokenizers library through DJL) when the
 * checkpoint has a {@code tokenizer.json}; this class exists because vocab.txt-only models (the
 * Google BERT checkpoints, many older Hugging Face ones) have none. It follows Google's {@code
 * BasicTokenizer} + {@code WordpieceTokenizer}, with the Hugging Face library's choices where the
 * two differ so that both paths give the same ids and offsets: unassigned code points are kept, and
 * the CJK ranges are those of {@code BertNormalizer}. {@link TokenizerJsonWriter} writes the
 * equivalent {@code tokenizer.json}.
 *
 * <p>Character offsets are UTF-16 indices into the original text, also where lower-casing or accent
 * stripping change the length of the text. Instances are immutable and thread-safe.
 */
public final class WordPieceTokenizer implements SubwordTokenizer {

  /** Words longer than this many code points become {@code [UNK]} (BERT's default). */
  public static final int DEFAULT_MAX_INPUT_CHARS_PER_WORD = 100;

  private static final String CONTINUATION = "##";

  private final Map<String, Integer> ids;
  private final int vocabSize;
  private final boolean lowercase;
  private final int maxInputCharsPerWord;
  private final BertWordSplitter splitter;
  private final Special cls;
  private final Special sep;
  private final Special unk;

  private WordPieceTokenizer(List<String> vocab, boolean lowercase, int maxInputCharsPerWord) {
    if (maxInputCharsPerWord < 1) {
      throw new IllegalArgumentException(
          "maxInputCharsPerWord must be at least 1, got " + maxInputCharsPerWord);
    }
    this.ids = new HashMap<>(vocab.size() * 2);
    for (int i = 0; i < vocab.size(); i++) {
      ids.put(vocab.get(i), i); // a repeated token keeps its last id, as in BERT's reader
    }
    this.vocabSize = vocab.size();
    this.lowercase = lowercase;
    this.maxInputCharsPerWord = maxInputCharsPerWord;
    this.splitter = new BertWordSplitter(lowercase);
    this.cls = special(VocabFile.CLS);
    this.sep = special(VocabFile.SEP);
    this.unk = special(VocabFile.UNK);
  }

  private Special special(String token) {
    Integer id = ids.get(token);
    if (id == null) {
      throw new IllegalArgumentException(
          "vocab.txt has no "
              + token
              + " token; a BERT vocabulary needs [UNK], [CLS] and [SEP]: check that the file is"
              + " the checkpoint's vocab.txt");
    }
    return new Special(id, token);
  }

  /** Reads {@code vocab.txt} (UTF-8) with the default limit of 100 characters per word. */
  public static WordPieceTokenizer fromVocab(Path vocabTxt, boolean lowercase) throws IOException {
    return fromVocab(vocabTxt, lowercase, DEFAULT_MAX_INPUT_CHARS_PER_WORD);
  }

  /**
   * Reads {@code vocab.txt} (UTF-8).
   *
   * @param lowercase whether the vocabulary is uncased (lower-case and strip accents)
   * @param maxInputCharsPerWord longer words become {@code [UNK]}
   */
  public static WordPieceTokenizer fromVocab(
      Path vocabTxt, boolean lowercase, int maxInputCharsPerWord) throws IOException {
    Objects.requireNonNull(vocabTxt, "vocabTxt");
    try (Reader reader = Files.newBufferedReader(vocabTxt, StandardCharsets.UTF_8)) {
      return fromVocab(reader, lowercase, maxInputCharsPerWord);
    }
  }

  /** Reads a vocabulary (one token per line) with the default limit of 100 characters per word. */
  public static WordPieceTokenizer fromVocab(Reader vocabTxt, boolean lowercase)
      throws IOException {
    return fromVocab(vocabTxt, lowercase, DEFAULT_MAX_INPUT_CHARS_PER_WORD);
  }

  /** Reads a vocabulary (one token per line); the reader is not closed. */
  public static WordPieceTokenizer fromVocab(
      Reader vocabTxt, boolean lowercase, int maxInputCharsPerWord) throws IOException {
    Objects.requireNonNull(vocabTxt, "vocabTxt");
    return new WordPieceTokenizer(VocabFile.read(vocabTxt), lowercase, maxInputCharsPerWord);
  }

  @Override
  public Encoding encode(String text) {
    Objects.requireNonNull(text, "text");
    List<Piece> pieces = new ArrayList<>();
    List<Word> words = splitter.split(text);
    for (int w = 0; w < words.size(); w++) {
      addWordPieces(words.get(w), w, 0, pieces);
    }
    return EncodingAssembly.assemble(cls, sep, pieces, words.size());
  }

  @Override
  public Encoding encodeWords(List<String> words) {
    Objects.requireNonNull(words, "words");
    int[] wordStarts = EncodingAssembly.wordStarts(words);
    List<Piece> pieces = new ArrayList<>();
    for (int w = 0; w < words.size(); w++) {
      for (Word part : splitter.split(words.get(w))) {
        addWordPieces(part, w, wordStarts[w], pieces);
      }
    }
    return EncodingAssembly.assembleWords(cls, sep, unk, pieces, words, wordStarts);
  }

  /** Greedy longest-match-first WordPiece; a word with an unmatched rest is one {@code [UNK]}. */
  private void addWordPieces(Word word, int wordId, int shift, List<Piece> out) {
    int n = word.length();
    if (n > maxInputCharsPerWord) {
      out.add(unknown(word, wordId, shift));
      return;
    }
    int mark = out.size();
    int start = 0;
    while (start < n) {
      int end = n;
      String match = null;
      Integer id = null;
      while (end > start) {
        String candidate = word.text(start, end);
        if (start > 0) {
          candidate = CONTINUATION + candidate;
        }
        id = ids.get(candidate);
        if (id != null) {
          match = candidate;
          break;
        }
        end--;
      }
      if (match == null) {
        out.subList(mark, out.size()).clear();
        out.add(unknown(word, wordId, shift));
        return;
      }
      out.add(
          new Piece(id, match, wordId, shift + word.starts()[start], shift + word.ends()[end - 1]));
      start = end;
    }
  }

  private Piece unknown(Word word, int wordId, int shift) {
    return new Piece(
        unk.id(),
        unk.token(),
        wordId,
        shift + word.starts()[0],
        shift + word.ends()[word.length() - 1]);
  }

  @Override
  public int vocabSize() {
    return vocabSize;
  }

  @Override
  public boolean lowercase() {
    return lowercase;
  }

  /** Longer words become {@code [UNK]}. */
  public int maxInputCharsPerWord() {
    return maxInputCharsPerWord;
  }
}
