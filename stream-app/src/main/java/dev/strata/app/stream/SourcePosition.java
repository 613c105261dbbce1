package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.streams.processor.api.ProcessingContext;

/**
 * Where an input record came from, for dead-letter headers and log lines.
 *
 * @param topic input topic
 * @param partition input partition, -1 when unknown
 * @param offset input offset, -1 when unknown
 */
public record SourcePosition(String topic, int partition, long offset) {
  public SourcePosition {
    requireNonNull(topic, "topic");
  }

  /**
   * The position of the record {@code context} is processing; {@code fallbackTopic} with unknown
   * partition and offset when the record has no metadata (e.g. from a punctuator).
   */
  public static SourcePosition of(ProcessingContext context, String fallbackTopic) {
    return context
        .recordMetadata()
        .map(m -> new SourcePosition(m.topic(), m.partition(), m.offset()))
        .orElse(new SourcePosition(fallbackTopic, -1, -1));
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
