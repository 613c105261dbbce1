package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.common.serialization.Serde;

/**
 * A topic described once: its name and the serdes of its keys and values.
 *
 * @param name topic name
 * @param keySerde serde of keys
 * @param valueSerde serde of values
 * @param <K> key type
 * @param <V> value type
 */
public record TopicSpec<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
  public TopicSpec {
    requireNonNull(name, "name");
    requireNonNull(keySerde, "keySerde");
    requireNonNull(valueSerde, "valueSerde");
    if (name.isBlank()) {
      throw new IllegalArgumentException("topic name is blank");
    }
  }
}
