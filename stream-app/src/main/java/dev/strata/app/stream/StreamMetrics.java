package dev.strata.app.stream;

/**
 * What the topology reports as it runs. Implementations must be thread-safe (stream threads call
 * them concurrently); every method defaults to doing nothing.
 */
public interface StreamMetrics {
  /** Reports nothing. */
  StreamMetrics NONE = new StreamMetrics() {};

  /** One input record was read. */
  default void recordIn() {}

  /** One annotated record was forwarded to the output topic. */
  default void recordOut() {}

  /**
   * Latency of one annotated record: from its input record's Kafka timestamp to the forwarding of
   * its output, in wall-clock milliseconds (the output's {@code timings.end_to_end_ms}).
   */
  default void endToEnd(long millis) {}

  /** The model now serving, by {@link Annotator#modelVersion()}; replaces any earlier one. */
  default void modelInService(String version) {}

  /** One input record was forwarded to the dead-letter topic. */
  default void deadLettered(DeadLetterReason reason) {}

  /** One feedback record was forwarded to the dead-letter topic. */
  default void feedbackDeadLettered(DeadLetterReason reason) {}

  /**
   * A micro-batch was inferred.
   *
   * @param size texts in the batch
   * @param tokens their sub-tokens
   * @param inferenceMs wall-clock time of the model call
   */
  default void batchInferred(int size, long tokens, double inferenceMs) {}
}
