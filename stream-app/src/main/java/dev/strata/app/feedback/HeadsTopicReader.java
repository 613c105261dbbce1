package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.SourcePosition;
import dev.strata.app.stream.TransientStreamsException;
import dev.strata.app.stream.WireRecordDecoder;
import dev.strata.schemas.avro.HeadRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the whole heads topic once, up to its end offsets (for the {@code heads} commands). Records
 * that fail their checks are listed as problems, not thrown.
 */
public final class HeadsTopicReader {
  private HeadsTopicReader() {}

  /**
   * What was read.
   *
   * @param catalog every verified version (without bytes) and every head's serving pointer
   * @param withBytes verified history records kept with their bytes (those {@code keepBytes}
   *     accepted), by key
   * @param problems one line per skipped record
   */
  public record Contents(
      HeadCatalog catalog, Map<String, HeadRecord> withBytes, List<String> problems) {}

  /**
   * @param keepBytes which history keys to keep with their bytes
   * @param timeout how long to wait for the end offsets to be reached
   * @throws IllegalStateException when the topic is missing, the end is not reached in time or the
   *     schema registry fails
   */
  public static Contents read(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<HeadRecord> deserializer,
      Predicate<HeadsTopic.Key> keepBytes,
      Duration timeout) {
    requireNonNull(consumer, "consumer");
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalStateException(
          "heads topic " + topic + " does not exist; it is created when 'strata run' starts");
    }
    List<TopicPartition> parts = new ArrayList<>();
    infos.forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    Map<TopicPartition, Long> end = consumer.endOffsets(parts);
    WireRecordDecoder<HeadRecord> decoder =
        new WireRecordDecoder<>(requireNonNull(deserializer, "deserializer"), "");
    HeadCatalog catalog = new HeadCatalog();
    Map<String, HeadRecord> kept = new HashMap<>();
    Map<String, HeadRecord> pointers = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    Instant deadline = Instant.now().plus(timeout);
    while (!reached(consumer, end)) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(
            "could not read heads topic " + topic + " to its end within " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
        String position = r.topic() + "-" + r.partition() + "@" + r.offset();
        try {
          HeadsTopic.Key key =
              HeadsTopic.parse(
                  r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
          if (r.value() == null) {
            if (!key.pointer()) { // a deleted version (heads.history.keep)
              catalog.removeVersion(key.name(), key.version());
              kept.remove(key.toString());
            }
            continue;
          }
          WireRecordDecoder.Decoded<HeadRecord> decoded =
              decoder.decode(new SourcePosition(r.topic(), r.partition(), r.offset()), r.value());
          if (decoded.isRejected()) {
            problems.add(position + ": " + decoded.reason() + ": " + decoded.detail());
            continue;
          }
          HeadRecord record = decoded.value();
          HeadRecords.verify(key, record);
          if (key.pointer()) {
            pointers.put(key.name(), record);
          } else {
            catalog.addVersion(record);
            if (keepBytes.test(key)) {
              kept.put(key.toString(), record);
            }
          }
        } catch (TransientStreamsException e) {
          throw new IllegalStateException(
              "the schema registry failed while reading heads record "
                  + position
                  + ": "
                  + e.getCause().getMessage()
                  + ". Check schema.registry.url (and its credentials) and try again.",
              e);
        } catch (RuntimeException e) {
          problems.add(position + ": " + e.getMessage());
        }
      }
    }
    pointers.values().forEach(catalog::setServing);
    return new Contents(catalog, kept, problems);
  }

  private static boolean reached(Consumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }
}
