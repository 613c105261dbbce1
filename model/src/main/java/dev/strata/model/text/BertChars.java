package dev.strata.model.text;

/**
 * Character classes of BERT's basic tokeniser, as the Hugging Face {@code BertNormalizer} and
 * {@code BertPreTokenizer} apply them (so that both tokeniser paths agree).
 */
final class BertChars {

  private BertChars() {}

  /**
   * Whether the cleaning step drops the code point: NUL, U+FFFD, and control, format, private-use
   * and surrogate characters except tab, newline and carriage return. Unassigned code points (Cn)
   * are kept: the Hugging Face library keeps them, and Java's notion of "unassigned" changes with
   * its Unicode version.
   */
  static boolean isDropped(int cp) {
    if (cp == 0 || cp == 0xFFFD) {
      return true;
    }
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.PRIVATE_USE
        || type == Character.SURROGATE;
  }

  /** Unicode White_Space (what Rust's {@code char::is_whitespace} tests). */
  static boolean isWhitespace(int cp) {
    return (cp >= 0x09 && cp <= 0x0D)
        || cp == 0x20
        || cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }

  /** ASCII punctuation (33–47, 58–64, 91–96, 123–126) or any Unicode P* category. */
  static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47)
        || (cp >= 58 && cp <= 64)
        || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  /**
   * CJK ideograph blocks that become one word per character. The ranges are those of the Hugging
   * Face {@code BertNormalizer}; they differ from Google's original list only in U+2B820–U+2B91F,
   * which Google includes.
   */
  static boolean isCjkIdeograph(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B920 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  /**
   * Replaces unpaired surrogates with U+FFFD (same length, so UTF-16 offsets stay valid). Both
   * paths then drop them; without this the native library would see malformed text.
   */
  static String replaceLoneSurrogates(String text) {
    StringBuilder out = null;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < n
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        if (out != null) {
          out.append(c).append(text.charAt(i + 1));
        }
        i++;
      } else if (Character.isSurrogate(c)) {
        if (out == null) {
          out = new StringBuilder(n).append(text, 0, i);
        }
        out.append('\uFFFD');
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * Maps code point indices to UTF-16 indices: element {@code k} is the UTF-16 index of the {@code
   * k}-th code point, and the last element is {@code text.length()}.
   */
  static int[] codePointToCharIndex(String text) {
    int[] map = new int[text.codePointCount(0, text.length()) + 1];
    int k = 0;
    for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
      map[k++] = i;
    }
    map[k] = text.length();
    return map;
  }
}
