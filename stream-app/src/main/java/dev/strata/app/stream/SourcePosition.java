package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

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

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset;
  }
}
