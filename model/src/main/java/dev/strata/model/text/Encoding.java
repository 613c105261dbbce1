package dev.strata.model.text;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tokenised text with its alignment to words and characters. Index {@code i} describes the same
 * sub-token in every array; special tokens ({@code [CLS]}, {@code [SEP]}) have word id -1 and
 * character offsets -1.
 *
 * @param ids vocabulary ids, including special tokens
 * @param tokens the sub-token strings (for display and debugging)
 * @param wordIds index of the word each sub-token belongs to, -1 for special tokens
 * @param starts start character offset (inclusive, UTF-16 index into the original text)
 * @param ends end character offset (exclusive)
 * @param wordCount number of words in the text (word ids run from 0 to wordCount - 1 before
 *     truncation)
 * @param droppedTokens sub-tokens removed to fit the length limit (0 when nothing was cut); never
 *     cut silently: callers report it
 */
public record Encoding(
    int[] ids,
    String[] tokens,
    int[] wordIds,
    int[] starts,
    int[] ends,
    int wordCount,
    int droppedTokens) {

  public Encoding {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(wordIds, "wordIds");
    Objects.requireNonNull(starts, "starts");
    Objects.requireNonNull(ends, "ends");
    int n = ids.length;
    if (tokens.length != n || wordIds.length != n || starts.length != n || ends.length != n) {
      throw new IllegalArgumentException(
          "all arrays of an Encoding must have the same length, got ids="
              + n
              + " tokens="
              + tokens.length
              + " wordIds="
              + wordIds.length
              + " starts="
              + starts.length
              + " ends="
              + ends.length);
    }
  }

  /** Number of sub-tokens including special tokens. */
  public int length() {
    return ids.length;
  }

  /** Whether sub-tokens were removed to fit a length limit. */
  public boolean truncated() {
    return droppedTokens > 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Encoding e
        && Arrays.equals(ids, e.ids)
        && Arrays.equals(tokens, e.tokens)
        && Arrays.equals(wordIds, e.wordIds)
        && Arrays.equals(starts, e.starts)
        && Arrays.equals(ends, e.ends)
        && wordCount == e.wordCount
        && droppedTokens == e.droppedTokens;
  }

  @Override
  public int hashCode() {
    return Objects.hash(Arrays.hashCode(ids), Arrays.hashCode(wordIds), wordCount, droppedTokens);
  }

  @Override
  public String toString() {
    return "Encoding" + Arrays.toString(tokens);
  }
}
