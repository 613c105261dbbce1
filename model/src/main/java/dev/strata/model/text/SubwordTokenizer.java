package dev.strata.model.text;

import java.util.List;

/**
 * Splits text into the word pieces of a BERT vocabulary, keeping word and character alignment.
 * Implementations are thread-safe.
 */
public interface SubwordTokenizer extends AutoCloseable {

  /**
   * Tokenises raw text; words are what BERT's pre-tokeniser yields (whitespace, punctuation and CJK
   * characters split). The result starts with {@code [CLS]} and ends with {@code [SEP]} and is not
   * cut: use {@link #fit} to apply a length limit.
   */
  Encoding encode(String text);

  /**
   * Tokenises text that is already split into words (CoNLL tokens). Word id {@code i} is {@code
   * words.get(i)}; character offsets refer to the words joined by single spaces. A word that yields
   * no sub-token (only control characters) gets {@code [UNK]} so every word keeps a first
   * sub-token.
   */
  Encoding encodeWords(List<String> words);

  /**
   * Applies a length limit of {@code maxTokens} (special tokens included).
   *
   * @return one encoding if it fits; for {@link OverflowPolicy#TRUNCATE} the first {@code
   *     maxTokens} tokens with {@link Encoding#droppedTokens()} set; for {@link
   *     OverflowPolicy#SPLIT} consecutive windows cut at word boundaries (each with its own special
   *     tokens, word ids and offsets still relative to the whole text; a single word longer than a
   *     window is, as a last resort, cut inside the word, and its first sub-token stays in the
   *     earlier window); for {@link OverflowPolicy#FAIL} an {@link IllegalArgumentException} giving
   *     the length and the limit
   */
  default List<Encoding> fit(Encoding encoding, int maxTokens, OverflowPolicy policy) {
    return EncodingAssembly.fit(encoding, maxTokens, policy);
  }

  /** Vocabulary size. */
  int vocabSize();

  /** Whether the vocabulary lower-cases and strips accents. */
  boolean lowercase();

  @Override
  default void close() {}
}
