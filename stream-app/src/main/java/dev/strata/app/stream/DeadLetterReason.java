package dev.strata.app.stream;

/** Why an input record went to the dead-letter topic (header {@code strata.dlq.reason}). */
public enum DeadLetterReason {
  /** The value is not Confluent wire format: shorter than 5 bytes or first byte not 0x00. */
  NOT_WIRE_FORMAT,
  /** The schema id in the value's header is not known to the registry. */
  UNKNOWN_SCHEMA_ID,
  /** Wire format and schema were fine, but the Avro data could not be read as a TextRecord. */
  UNDECODABLE,
  /** The value is null (a tombstone): there is no text. */
  NULL_VALUE,
  /** The text is empty or only whitespace. */
  EMPTY_TEXT,
  /**
   * The text is longer than {@code text.max.chars} or {@code text.max.tokens}, or the record with
   * its text is too large to keep in the open-batch store under the producer's {@code
   * max.request.size}.
   */
  TEXT_TOO_LONG,
  /** The model threw on this text (alone, after a failed batch). */
  INFERENCE_FAILED,
  /**
   * The annotated record (the text and its entities) is too large to write under the producer's
   * {@code max.request.size}, although the input record fit.
   */
  OUTPUT_TOO_LARGE,
  /**
   * A feedback record failed validation; {@code strata.dlq.problem} names the problem (e.g.
   * TOKENS_TAGS_LENGTH_MISMATCH) and {@code strata.dlq.exception} explains it.
   */
  INVALID_FEEDBACK
}
