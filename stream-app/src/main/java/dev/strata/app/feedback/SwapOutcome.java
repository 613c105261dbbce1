package dev.strata.app.feedback;

/** What the {@link HeadsWatcher} did with one record of the heads topic. */
public enum SwapOutcome {
  /** The head was loaded and now serves. */
  SWAPPED,
  /** A history record ({@code NAME@VERSION}) was checked and listed. */
  RECORDED,
  /** The bytes do not match the record's SHA-256, or the head file is corrupt. */
  REJECTED_CORRUPT,
  /** The head was trained on another backbone than this instance serves. */
  REJECTED_INCOMPATIBLE,
  /** The record could not be decoded, or its key and fields disagree. */
  REJECTED_MALFORMED,
  /** Loading the head failed for another reason. */
  REJECTED_LOAD_FAILED,
  /** The same version (same checksum) already serves; nothing to do. */
  UNCHANGED
}
