package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

/**
 * What the decoder accepts as one text; a text over any limit is dead-lettered as {@link
 * DeadLetterReason#TEXT_TOO_LONG}.
 *
 * @param maxChars {@code text.max.chars}, in UTF-16 chars
 * @param maxTokens {@code text.max.tokens}, in the backbone's sub-tokens: a text is inferred in one
 *     call inside the open transaction, so this bounds the longest call
 * @param size what the open-batch store can hold (the producer's {@code max.request.size})
 */
public record TextLimits(int maxChars, int maxTokens, RecordSizeLimit size) {
  public TextLimits {
    if (maxChars < 1 || maxTokens < 1) {
      throw new IllegalArgumentException(
          "maxChars and maxTokens must be positive, got " + maxChars + " and " + maxTokens);
    }
    requireNonNull(size, "size");
  }
}
