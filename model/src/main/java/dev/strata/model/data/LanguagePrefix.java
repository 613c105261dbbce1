package dev.strata.model.data;

/**
 * What {@link ConllReader} does with a language prefix such as WikiANN's {@code en:} in front of
 * every token. A prefix is two or three lower-case ASCII letters followed by a colon.
 */
public enum LanguagePrefix {
  /** Keep tokens as they are. */
  KEEP,
  /** Every token must carry a prefix, which is removed; a token without one is an error. */
  STRIP,
  /**
   * Strip when every token of the file carries the same prefix (WikiANN), keep otherwise (CoNLL-03,
   * where a token such as {@code en:} alone stays untouched unless all tokens have it).
   */
  AUTO
}
