package dev.strata.app.feedback;

/**
 * What the feedback loop reports. Implementations must be thread-safe; every method defaults to
 * doing nothing.
 */
public interface FeedbackMetrics {
  /** Reports nothing. */
  FeedbackMetrics NONE = new FeedbackMetrics() {};

  /** What happened to one feedback example in the store. */
  enum StoreOutcome {
    /** A new id was stored. */
    STORED,
    /** An id already stored was replaced by a newer record. */
    REPLACED,
    /** A record older (by event time) than the stored one for its id was ignored. */
    STALE,
    /** An example was evicted because its head reached {@code feedback.max.per.head}. */
    EVICTED
  }

  /** One feedback record was rejected by validation. */
  default void invalid(String problem) {}

  /** One store outcome for {@code head}. */
  default void stored(String head, StoreOutcome outcome) {}

  /** One retraining decision for {@code head} (a {@link RetrainDecision} or trigger name). */
  default void retrain(String head, String decision, long elapsedMs) {}

  /** One heads-topic record handled by the watcher ({@link SwapOutcome}). */
  default void headRecord(String head, SwapOutcome outcome) {}

  /**
   * A poll of the heads watcher failed and is retried: {@code REGISTRY_UNAVAILABLE} or {@code
   * POLL_FAILED} (the broker, the topic, permissions).
   */
  default void headsWatcherError(String kind) {}
}
