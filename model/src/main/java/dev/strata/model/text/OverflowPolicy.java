package dev.strata.model.text;

/** What to do with a text longer than the encoder accepts. */
public enum OverflowPolicy {
  /** Keep the first tokens and report how many were dropped. */
  TRUNCATE,
  /** Cut into consecutive windows at word boundaries; every token is kept. */
  SPLIT,
  /** Refuse with an error that gives the length and the limit. */
  FAIL
}
