package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.SourcePosition;
import dev.strata.app.stream.TransientStreamsException;
import dev.strata.app.stream.WireRecordDecoder;
import dev.strata.schemas.avro.HeadRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs on every instance: reads the heads topic from the beginning (all partitions assigned, no
 * consumer group, {@code isolation.level=read_committed} set by the caller), keeps the {@link
 * HeadCatalog} and offers each head's newest pointer record to the {@link HeadSwapper}. Corrupt,
 * malformed or incompatible records are logged, counted and skipped; the serving head stays. A
 * schema-registry failure is not the record's fault: the watcher rewinds to that record and tries
 * it again, and is not {@linkplain #upToDate() up to date} until it has read it.
 *
 * <p>Within one poll only the newest usable pointer record per head is loaded (on start-up that
 * skips every superseded version in the topic); older ones of the poll are tried only when a newer
 * one is rejected.
 */
public final class HeadsWatcher implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HeadsWatcher.class);
  static final Duration POLL = Duration.ofMillis(500);

  /** How long a missing heads topic is waited for before it counts as a failure. */
  static final Duration APPEAR = Duration.ofSeconds(30);

  /** Pause after a failed poll before the next. */
  static final Duration RETRY = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final WireRecordDecoder<HeadRecord> decoder;
  private final HeadSwapper swapper;
  private final HeadCatalog catalog;
  private final FeedbackMetrics metrics;
  private volatile boolean running = true;
  private boolean assigned;
  private long waitingSince;
  private Map<TopicPartition, Long> endAtStart = Map.of();
  private volatile boolean caughtUp;

  /** Per partition, the offset of a record a registry failure left unread, until it is read. */
  private final Map<TopicPartition, Long> unread = new ConcurrentHashMap<>();

  private volatile Throwable died;

  public HeadsWatcher(
      Consumer<byte[], byte[]> consumer,
      String topic,
      Deserializer<HeadRecord> deserializer,
      HeadSwapper swapper,
      HeadCatalog catalog,
      FeedbackMetrics metrics) {
    this.consumer = requireNonNull(consumer, "consumer");
    this.topic = requireNonNull(topic, "topic");
    this.decoder =
        new WireRecordDecoder<>(
            requireNonNull(deserializer, "deserializer"),
            "heads records are written by the retrainer of 'strata run'");
    this.swapper = requireNonNull(swapper, "swapper");
    this.catalog = requireNonNull(catalog, "catalog");
    this.metrics = requireNonNull(metrics, "metrics");
  }

  /**
   * Assigns every partition of the topic and seeks to the beginning.
   *
   * @return {@code false} when the broker does not list the topic's partitions yet: right after the
   *     application created it, its metadata may not have reached the broker the consumer asks
   */
  boolean assign() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      return false;
    }
    List<TopicPartition> parts = new ArrayList<>();
    infos.forEach(p -> parts.add(new TopicPartition(topic, p.partition())));
    consumer.assign(parts);
    consumer.seekToBeginning(parts);
    endAtStart = consumer.endOffsets(parts);
    assigned = true;
    return true;
  }

  /**
   * One poll: catalog every record, then offer the newest pointer record of each head. Until the
   * topic's partitions are listed it only waits one poll interval.
   *
   * @throws IllegalStateException when the topic has not been listed for {@link #APPEAR} (deleted,
   *     or no DESCRIBE permission)
   */
  public void pollOnce() {
    if (!assigned && !assign()) {
      long now = System.nanoTime();
      if (waitingSince == 0) {
        waitingSince = now;
        LOG.info("Waiting for the broker to list the heads topic {}", topic);
      } else if (now - waitingSince > APPEAR.toNanos()) {
        waitingSince = 0;
        throw new IllegalStateException(
            "heads topic "
                + topic
                + " has no partitions after "
                + APPEAR.toSeconds()
                + " s; create it (the application does at start) or grant DESCRIBE on it");
      }
      sleep(POLL);
      return;
    }
    waitingSince = 0;
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
    Map<String, List<Pending>> pointers = new LinkedHashMap<>();
    try {
      readAll(records, pointers);
    } catch (RegistryUnavailable e) {
      offerAll(pointers); // those of the partitions read to the end; the rewind does not reach them
      throw e;
    }
    unread.entrySet().removeIf(e -> consumer.position(e.getKey()) > e.getValue());
    offerAll(pointers);
    if (!caughtUp
        && endAtStart.entrySet().stream().allMatch(e -> reached(e.getKey(), e.getValue()))) {
      caughtUp = true;
      LOG.info(
          "Read the heads topic {} up to where it ended at start-up: {} head(s) {}",
          topic,
          catalog.names().size(),
          catalog.names());
    }
  }

  private void offerAll(Map<String, List<Pending>> pointers) {
    for (List<Pending> ofHead : pointers.values()) {
      offerNewestUsable(ofHead);
    }
  }

  /**
   * Reads one poll's records partition by partition, cataloguing history records and collecting the
   * pointer records of each partition read to its end. On a registry failure it seeks the failing
   * partition back to its first pointer record of this poll (or the failing record), so that only
   * the newest pointer is loaded once the registry is back, and every later partition to its first
   * record; then it throws.
   */
  private void readAll(
      ConsumerRecords<byte[], byte[]> records, Map<String, List<Pending>> pointers) {
    List<TopicPartition> parts = new ArrayList<>(records.partitions());
    for (int i = 0; i < parts.size(); i++) {
      Map<String, List<Pending>> ofPartition = new LinkedHashMap<>();
      long firstPointer = -1;
      for (ConsumerRecord<byte[], byte[]> r : records.records(parts.get(i))) {
        Pending p;
        try {
          p = read(r);
        } catch (TransientStreamsException e) {
          unread.put(parts.get(i), r.offset());
          consumer.seek(parts.get(i), firstPointer >= 0 ? firstPointer : r.offset());
          for (TopicPartition later : parts.subList(i + 1, parts.size())) {
            consumer.seek(later, records.records(later).get(0).offset());
          }
          throw new RegistryUnavailable(
              "Schema registry failure while decoding heads record "
                  + r.topic()
                  + "-"
                  + r.partition()
                  + "@"
                  + r.offset()
                  + " (not the record's fault, so it is not skipped): "
                  + e.getCause().getMessage()
                  + ". Check that the registry at schema.registry.url is reachable and accepts"
                  + " this instance's credentials; the watcher reads the record again in "
                  + RETRY.toSeconds()
                  + " s, and the retrainer waits until it has.",
              e);
        }
        if (p != null && p.key.pointer()) {
          firstPointer = firstPointer >= 0 ? firstPointer : r.offset();
          ofPartition.computeIfAbsent(p.key.name(), n -> new ArrayList<>()).add(p);
        }
      }
      ofPartition.forEach(
          (name, ofHead) -> pointers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(ofHead));
    }
  }

  /** The registry could not be asked; the records from the failing one on are read again. */
  static final class RegistryUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryUnavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Offers the pointer records of one head read in one poll, newest first, until one serves: a
   * rejected newest pointer falls back to the one before it. (A pointer of an earlier poll was
   * offered in that poll.) Without this, an instance starting on a topic whose newest pointer is
   * corrupt would serve no version of the head, and its retrainer would count every stored example
   * as new.
   */
  private void offerNewestUsable(List<Pending> ofHead) {
    for (int i = ofHead.size() - 1; i >= 0; i--) {
      Pending p = ofHead.get(i);
      SwapOutcome outcome = swapper.offer(p.key, p.record);
      count(p.key.name(), outcome, p.position);
      if (outcome == SwapOutcome.SWAPPED || outcome == SwapOutcome.UNCHANGED) {
        catalog.setServing(p.record);
        return;
      }
    }
  }

  private boolean reached(TopicPartition tp, long end) {
    return consumer.position(tp) >= end;
  }

  /**
   * Whether every record that was on the heads topic when this watcher started has been read (and
   * offered): until then the {@link HeadCatalog} may lack published versions, so the {@link
   * Retrainer} waits for it (it takes version numbers and its new-example baseline from there).
   */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Whether the catalog is complete as far as this watcher can tell: {@linkplain #caughtUp() caught
   * up}, and no record that a registry failure left unread is still waiting to be read. The {@link
   * Retrainer} trains only then; it takes version numbers from the catalog.
   */
  public boolean upToDate() {
    return caughtUp && unread.isEmpty();
  }

  private record Pending(HeadsTopic.Key key, HeadRecord record, String position) {}

  private Pending read(ConsumerRecord<byte[], byte[]> r) {
    String position = r.topic() + "-" + r.partition() + "@" + r.offset();
    String rawKey = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    HeadsTopic.Key key;
    try {
      key = HeadsTopic.parse(rawKey);
    } catch (IllegalArgumentException e) {
      LOG.warn("Skipping heads record {}: {}", position, e.getMessage());
      count(String.valueOf(rawKey), SwapOutcome.REJECTED_MALFORMED, position);
      return null;
    }
    if (r.value() == null) {
      if (key.pointer()) {
        LOG.info(
            "Heads record {} for {} is a tombstone; ignored (the head keeps serving)",
            position,
            key);
      } else {
        catalog.removeVersion(key.name(), key.version());
        LOG.debug("Heads record {}: {} was deleted (heads.history.keep)", position, key);
      }
      return null;
    }
    HeadRecord record;
    try {
      WireRecordDecoder.Decoded<HeadRecord> decoded =
          decoder.decode(new SourcePosition(r.topic(), r.partition(), r.offset()), r.value());
      if (decoded.isRejected()) {
        LOG.warn(
            "Skipping heads record {} ({}): {}: {}",
            position,
            key,
            decoded.reason(),
            decoded.detail());
        count(key.name(), SwapOutcome.REJECTED_MALFORMED, position);
        return null;
      }
      record = decoded.value();
    } catch (TransientStreamsException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.warn("Skipping heads record {} ({}): cannot decode: {}", position, key, e.toString());
      count(key.name(), SwapOutcome.REJECTED_MALFORMED, position);
      return null;
    }
    if (key.pointer()) {
      return new Pending(key, record, position);
    }
    try {
      HeadRecords.verify(key, record);
      catalog.addVersion(record);
      count(key.name(), SwapOutcome.RECORDED, position);
    } catch (HeadRecordException e) {
      LOG.warn("Skipping heads record {}: {}: {}", position, e.outcome(), e.getMessage());
      count(key.name(), e.outcome(), position);
    }
    return null;
  }

  private void count(String head, SwapOutcome outcome, String position) {
    metrics.headRecord(head, outcome);
    LOG.debug("Heads record {} of {}: {}", position, head, outcome);
  }

  @Override
  public void run() {
    try {
      while (running) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          if (running) {
            throw e;
          }
        } catch (RegistryUnavailable e) {
          metrics.headsWatcherError("REGISTRY_UNAVAILABLE");
          LOG.warn("{}", e.getMessage());
          sleep(RETRY);
        } catch (RuntimeException e) {
          metrics.headsWatcherError("POLL_FAILED");
          LOG.error(
              "Heads watcher failed on {}; retrying in {} s: {}",
              topic,
              RETRY.toSeconds(),
              e.toString(),
              e);
          sleep(RETRY);
        }
      }
    } catch (Throwable t) {
      died = t;
      LOG.error(
          "Heads watcher on {} stopped: {}. Published heads are no longer loaded here and this"
              + " instance reports itself not live; restart it.",
          topic,
          t.toString(),
          t);
      if (t instanceof Error err) {
        throw err;
      }
    } finally {
      consumer.close();
    }
  }

  /** Whether the watcher's thread ended on an unexpected failure (it then loads no more heads). */
  public boolean failed() {
    return died != null;
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** Stops {@link #run()} (from another thread). */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }
}
