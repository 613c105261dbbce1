package dev.strata.app.bench;

import java.util.List;
import java.util.Set;

/**
 * Joins the tokens of a tokenised sentence (CoNLL-03 style) back into running text with the usual
 * spacing: no space before closing punctuation and clitics ({@code , . ) 's n't}), none after
 * opening brackets, and straight double quotes alternating between opening and closing. Good enough
 * for realistic benchmark input; not an inverse of any particular tokeniser.
 */
final class Detokenizer {
  private static final Set<String> NO_SPACE_BEFORE =
      Set.of(
          ",", ".", ";", ":", "!", "?", "%", ")", "]", "}", "'s", "'S", "n't", "N'T", "'re", "'ve",
          "'ll", "'d", "'m", "''", "...");
  private static final Set<String> NO_SPACE_AFTER = Set.of("(", "[", "{", "$", "``");

  private Detokenizer() {}

  static String join(List<String> tokens) {
    StringBuilder sb = new StringBuilder();
    boolean glueNext = true;
    boolean quoteOpen = false;
    for (String t : tokens) {
      boolean glue = glueNext || NO_SPACE_BEFORE.contains(t);
      glueNext = NO_SPACE_AFTER.contains(t);
      if (t.equals("\"")) {
        if (quoteOpen) {
          glue = true;
        } else {
          glueNext = true;
        }
        quoteOpen = !quoteOpen;
      }
      if (!glue) {
        sb.append(' ');
      }
      sb.append(t);
    }
    return sb.toString();
  }
}
