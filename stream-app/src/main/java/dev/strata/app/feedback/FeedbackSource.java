package dev.strata.app.feedback;

import dev.strata.schemas.avro.FeedbackRecord;
import java.util.List;
import java.util.Map;

/**
 * The feedback examples this instance owns, as the {@link Retrainer} sees them. The Kafka
 * implementation is {@link StoreFeedbackSource} (interactive queries on the local active store).
 */
public interface FeedbackSource {
  /**
   * Heads whose examples are in an active store of this instance, with the store sequence numbers
   * of their examples; {@code null} when the store cannot be queried right now (e.g. while the
   * application rebalances), which is not the same as owning no head.
   */
  Map<String, long[]> localHeads();

  /** Every stored example of {@code head}; empty when this instance does not own it. */
  List<FeedbackRecord> examples(String head);

  /** Whether this instance still owns {@code head} (checked again before publishing). */
  boolean owns(String head);
}
