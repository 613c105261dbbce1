package dev.strata.model.head;

/**
 * A saved head model cannot be used. {@link #reason()} says why, so a caller (e.g. a hot swap) can
 * react by kind; the message names the file and what to do.
 */
public class HeadModelException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a file was refused. */
  public enum Reason {
    /** The file does not start with the head-model magic. */
    NOT_A_HEAD_MODEL,
    /** Written in a format version this build does not read. */
    FORMAT_VERSION,
    /** Trained on other backbone weights than the ones being served. */
    BACKBONE_MISMATCH,
    /** Truncated, or its checksum does not match. */
    CORRUPT,
    /** Readable, but its contents contradict each other (labels vs classifiers, shapes). */
    INVALID,
    /** Reading or writing failed. */
    IO
  }

  private final Reason reason;

  public HeadModelException(Reason reason, String message) {
    this(reason, message, null);
  }

  public HeadModelException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** The kind of failure. */
  public Reason reason() {
    return reason;
  }
}
