package dev.strata.model.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Logic shared by both tokenisers: assembling pieces into an {@link Encoding}, the word-list
 * conventions of {@link SubwordTokenizer#encodeWords}, and the length limit of {@link
 * SubwordTokenizer#fit}.
 */
final class EncodingAssembly {

  private EncodingAssembly() {}

  /** A special token: id and surface string. */
  record Special(int id, String token) {}

  /** Builds {@code [CLS] pieces [SEP]}; special tokens get word id -1 and offsets -1. */
  static Encoding assemble(Special cls, Special sep, List<Piece> pieces, int wordCount) {
    int n = pieces.size() + 2;
    int[] ids = new int[n];
    String[] tokens = new String[n];
    int[] wordIds = new int[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    setSpecial(cls, 0, ids, tokens, wordIds, starts, ends);
    for (int i = 0; i < pieces.size(); i++) {
      Piece p = pieces.get(i);
      ids[i + 1] = p.id();
      tokens[i + 1] = p.token();
      wordIds[i + 1] = p.wordId();
      starts[i + 1] = p.start();
      ends[i + 1] = p.end();
    }
    setSpecial(sep, n - 1, ids, tokens, wordIds, starts, ends);
    return new Encoding(ids, tokens, wordIds, starts, ends, wordCount, 0);
  }

  private static void setSpecial(
      Special s, int i, int[] ids, String[] tokens, int[] wordIds, int[] starts, int[] ends) {
    ids[i] = s.id();
    tokens[i] = s.token();
    wordIds[i] = -1;
    starts[i] = -1;
    ends[i] = -1;
  }

  /**
   * The encoding of a word list (see {@link SubwordTokenizer#encodeWords}): {@code [CLS] pieces
   * [SEP]}, with {@code [UNK]} for every word without a piece ({@link #withUnknownForEmptyWords}).
   */
  static Encoding assembleWords(
      Special cls,
      Special sep,
      Special unk,
      List<Piece> pieces,
      List<String> words,
      int[] wordStarts) {
    List<Piece> filled = withUnknownForEmptyWords(pieces, words, wordStarts, unk);
    return assemble(cls, sep, filled, words.size());
  }

  /**
   * UTF-16 start of each word in the words joined by single spaces.
   *
   * @throws NullPointerException naming the index of a null word
   */
  static int[] wordStarts(List<String> words) {
    int[] starts = new int[words.size()];
    int offset = 0;
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (w == null) {
        throw new NullPointerException("words[" + i + "] is null");
      }
      starts[i] = offset;
      offset += w.length() + 1;
    }
    return starts;
  }

  /**
   * Gives {@code [UNK]} to every word without a sub-token (empty or only dropped characters), so
   * that each word has a first sub-token; its span is the whole word. Pieces must be ordered by
   * word id.
   */
  private static List<Piece> withUnknownForEmptyWords(
      List<Piece> pieces, List<String> words, int[] wordStarts, Special unk) {
    List<Piece> out = new ArrayList<>(pieces.size() + 4);
    int next = 0;
    for (int w = 0; w < words.size(); w++) {
      int first = next;
      while (next < pieces.size() && pieces.get(next).wordId() == w) {
        next++;
      }
      if (next == first) {
        out.add(
            new Piece(
                unk.id(), unk.token(), w, wordStarts[w], wordStarts[w] + words.get(w).length()));
      } else {
        out.addAll(pieces.subList(first, next));
      }
    }
    if (next != pieces.size()) {
      throw new IllegalStateException(
          "sub-tokens are not ordered by word id at index " + next + ": " + pieces.get(next));
    }
    return out;
  }

  /** See {@link SubwordTokenizer#fit}. */
  static List<Encoding> fit(Encoding encoding, int maxTokens, OverflowPolicy policy) {
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(policy, "policy");
    int n = encoding.length();
    if (n < 2 || encoding.wordIds()[0] != -1 || encoding.wordIds()[n - 1] != -1) {
      throw new IllegalArgumentException(
          "fit needs an encoding that starts with [CLS] and ends with [SEP], as encode and"
              + " encodeWords return; got "
              + encoding);
    }
    if (maxTokens < 3) {
      throw new IllegalArgumentException(
          "maxTokens must be at least 3 ([CLS], one token, [SEP]), got " + maxTokens);
    }
    if (n <= maxTokens) {
      return List.of(encoding);
    }
    return switch (policy) {
      case TRUNCATE -> List.of(truncate(encoding, maxTokens));
      case SPLIT -> split(encoding, maxTokens);
      case FAIL ->
          throw new IllegalArgumentException(
              "the text has "
                  + n
                  + " sub-tokens (special tokens included), more than the limit of "
                  + maxTokens
                  + "; raise the token limit (maxTokens, at most the encoder's"
                  + " max_position_embeddings) or set the overflow policy to SPLIT or TRUNCATE");
    };
  }

  private static Encoding truncate(Encoding e, int maxTokens) {
    int dropped = e.length() - maxTokens;
    return window(e, 1, maxTokens - 1, e.droppedTokens() + dropped);
  }

  /**
   * Windows of at most {@code maxTokens} tokens cut where the word id changes. A single word longer
   * than a window is cut inside the word as a last resort: its first sub-token (the one labelled)
   * stays in the first of those windows.
   */
  private static List<Encoding> split(Encoding e, int maxTokens) {
    int capacity = maxTokens - 2;
    int bodyEnd = e.length() - 1;
    int[] wordIds = e.wordIds();
    List<Encoding> windows = new ArrayList<>();
    int from = 1;
    while (from < bodyEnd) {
      int to = Math.min(from + capacity, bodyEnd);
      if (to < bodyEnd) {
        int cut = to;
        while (cut > from && wordIds[cut] == wordIds[cut - 1]) {
          cut--;
        }
        if (cut > from) {
          to = cut;
        }
      }
      windows.add(window(e, from, to, e.droppedTokens()));
      from = to;
    }
    return windows;
  }

  /** {@code [CLS] body[from, to) [SEP]}, reusing the encoding's own special tokens. */
  private static Encoding window(Encoding e, int from, int to, int dropped) {
    int last = e.length() - 1;
    int n = to - from + 2;
    int[] ids = new int[n];
    String[] tokens = new String[n];
    int[] wordIds = new int[n];
    int[] starts = new int[n];
    int[] ends = new int[n];
    copy(e, 0, 0, 1, ids, tokens, wordIds, starts, ends);
    copy(e, from, 1, to - from, ids, tokens, wordIds, starts, ends);
    copy(e, last, n - 1, 1, ids, tokens, wordIds, starts, ends);
    return new Encoding(ids, tokens, wordIds, starts, ends, e.wordCount(), dropped);
  }

  private static void copy(
      Encoding e,
      int src,
      int dst,
      int len,
      int[] ids,
      String[] tokens,
      int[] wordIds,
      int[] starts,
      int[] ends) {
    System.arraycopy(e.ids(), src, ids, dst, len);
    System.arraycopy(e.tokens(), src, tokens, dst, len);
    System.arraycopy(e.wordIds(), src, wordIds, dst, len);
    System.arraycopy(e.starts(), src, starts, dst, len);
    System.arraycopy(e.ends(), src, ends, dst, len);
  }

  /** Number of words: one more than the largest word id (0 without words). */
  static int wordCount(List<Piece> pieces) {
    return pieces.stream().mapToInt(Piece::wordId).max().orElse(-1) + 1;
  }
}
