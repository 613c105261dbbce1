package dev.strata.model.feedback;

/** Why a feedback example was refused; each constant says what the sender has to fix. */
public enum FeedbackProblem {
  /** The id is missing or blank. */
  MISSING_ID("give every example a non-blank id"),
  /** The head name is missing, blank or not a simple name. */
  BAD_HEAD_NAME("name the head with 1-64 letters, digits, '.', '_' or '-'"),
  /** The text is null, empty or only whitespace. */
  EMPTY_TEXT("send the text the labels refer to"),
  /** Neither tokens+tags, spans nor a class label is set. */
  NO_LABEL_FORM("set exactly one of tokens+tags, spans or class_label"),
  /** More than one of tokens+tags, spans, class label is set. */
  SEVERAL_LABEL_FORMS("set exactly one of tokens+tags, spans or class_label"),
  /** Tokens without tags or tags without tokens. */
  TOKENS_WITHOUT_TAGS("send tokens and tags together"),
  /** The token and tag lists differ in length. */
  TOKENS_TAGS_LENGTH_MISMATCH("send one tag per token"),
  /** A token is empty, contains whitespace, or does not appear at its place in the text. */
  TOKEN_NOT_IN_TEXT(
      "send the whitespace-separated tokens of the text, in order, separated only by whitespace"),
  /** A tag is not O, B-TYPE or I-TYPE. */
  BAD_TAG("use IOB2 tags: O, B-TYPE, I-TYPE (TYPE non-empty, no spaces)"),
  /** I-X does not follow B-X or I-X. */
  ILLEGAL_IOB2_SEQUENCE("start every entity with B-TYPE; I-TYPE may only follow B-TYPE or I-TYPE"),
  /** A span lies outside the text or is empty. */
  SPAN_OUT_OF_RANGE("give spans with 0 <= start < end <= text length (UTF-16 code units)"),
  /** Two spans share characters. */
  SPANS_OVERLAP("send non-overlapping spans (one entity type per character)"),
  /** A span starts or ends inside a word, or covers no word. */
  SPAN_SPLITS_WORD(
      "align spans to word boundaries (whitespace, punctuation); the model tags whole words"),
  /** A span label or class label is blank or has whitespace. */
  BAD_LABEL("use a non-empty label without whitespace"),
  /** The text has no words at all (only control characters). */
  NO_WORDS("send a text with at least one word");

  private final String fix;

  FeedbackProblem(String fix) {
    this.fix = fix;
  }

  /** What the sender should do. */
  public String fix() {
    return fix;
  }
}
