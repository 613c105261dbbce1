package dev.strata.app.feedback;

import dev.strata.schemas.avro.FeedbackRecord;

/**
 * What {@link FeedbackValidation} forwards: a valid record, or the original bytes of a rejected one
 * (the record's headers say why).
 *
 * @param accepted the valid record, or {@code null}
 * @param rejected original value bytes of an invalid record, or {@code null}
 */
record FeedbackCheck(FeedbackRecord accepted, byte[] rejected) {
  static FeedbackCheck accept(FeedbackRecord r) {
    return new FeedbackCheck(r, null);
  }

  static FeedbackCheck reject(byte[] original) {
    return new FeedbackCheck(null, original);
  }

  boolean isAccepted() {
    return accepted != null;
  }
}
