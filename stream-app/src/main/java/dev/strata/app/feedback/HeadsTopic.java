package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key scheme of the compacted heads topic and its creation.
 *
 * <ul>
 *   <li>{@code NAME@VERSION}: the newest {@code heads.history.keep} published versions and the
 *       serving one (one record per key; older ones are deleted by tombstones, see {@link
 *       HistoryPruner}); {@code heads list} shows them, {@code heads rollback} copies one to the
 *       pointer.
 *   <li>{@code NAME}: the serving version of head NAME (a full copy, so an instance needs only the
 *       pointer records to serve). Compaction keeps the newest; all pointer updates of a head land
 *       in one partition, so every instance sees them in the same order.
 * </ul>
 */
public final class HeadsTopic {
  private static final Logger LOG = LoggerFactory.getLogger(HeadsTopic.class);

  private HeadsTopic() {}

  /**
   * A parsed key.
   *
   * @param name head name
   * @param version the version of a history key, or {@code null} for the serving pointer
   */
  public record Key(String name, Long version) {
    public Key {
      requireNonNull(name, "name");
    }

    public boolean pointer() {
      return version == null;
    }

    @Override
    public String toString() {
      return version == null ? name : name + "@" + version;
    }
  }

  /** The pointer key of {@code name}. */
  public static String pointerKey(String name) {
    return requireNonNull(name, "name");
  }

  /** The history key of one version. */
  public static String historyKey(String name, long version) {
    return requireNonNull(name, "name") + "@" + version;
  }

  /**
   * Parses a key.
   *
   * @throws IllegalArgumentException when it is empty or the part after '@' is not a version
   */
  public static Key parse(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("heads-topic record without a key");
    }
    int at = key.lastIndexOf('@');
    if (at < 0) {
      return new Key(key, null);
    }
    try {
      long v = Long.parseLong(key.substring(at + 1));
      if (v < 1 || at == 0) {
        throw new NumberFormatException();
      }
      return new Key(key.substring(0, at), v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "heads-topic key '" + key + "' is neither NAME nor NAME@VERSION (VERSION >= 1)");
    }
  }

  /**
   * How long the active segment of a new heads topic stays open. Compaction never touches the
   * active segment, so the broker's default (7 days, or 1 GiB) would keep every head published in
   * that time on disk and in every instance's start-up read, deleted versions included.
   */
  static final long SEGMENT_MS = Duration.ofHours(1).toMillis();

  /**
   * Segment size of a new heads topic: room for 4 records of {@code maxBytes} (a segment must hold
   * the largest record), at least the broker's minimum of 1 MiB.
   */
  static long segmentBytes(int maxBytes) {
    return Math.min(Integer.MAX_VALUE, Math.max(1L << 20, 4L * maxBytes));
  }

  /**
   * Creates {@code topic} compacted with {@code max.message.bytes = maxBytes} when missing; an
   * existing topic is left as it is (a warning is logged when it is not compacted).
   *
   * @throws HeadsTopicException when the topic is missing and cannot be created
   */
  public static void ensureExists(Admin admin, String topic, int maxBytes) {
    ensureExists(admin, topic, maxBytes, Optional.empty());
  }

  /**
   * As {@link #ensureExists(Admin, String, int)}, with the replication factor of a new topic (empty
   * = the broker's default).
   *
   * @throws HeadsTopicException when the topic is missing and cannot be created
   */
  public static void ensureExists(
      Admin admin, String topic, int maxBytes, Optional<Short> replicationFactor) {
    NewTopic t =
        new NewTopic(topic, Optional.of(1), replicationFactor)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(maxBytes),
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    Long.toString(segmentBytes(maxBytes)),
                    TopicConfig.SEGMENT_MS_CONFIG,
                    Long.toString(SEGMENT_MS)));
    try {
      admin.createTopics(List.of(t)).all().get();
      LOG.info("Created the compacted heads topic {}", topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        warnUnlessCompacted(admin, topic);
        return;
      }
      if (e.getCause() instanceof TimeoutException) {
        throw new HeadsTopicException(
            "Kafka did not answer in time while creating the heads topic "
                + topic
                + ": "
                + e.getCause().getMessage()
                + ". Check bootstrap.servers (and the streams.* security settings) and that the"
                + " broker runs.",
            e.getCause());
      }
      throw new HeadsTopicException(
          "Cannot create the heads topic "
              + topic
              + ": "
              + e.getCause().getMessage()
              + ". Create it by hand with cleanup.policy=compact, or grant the application"
              + " CREATE on it.",
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeadsTopicException("interrupted while creating " + topic, e);
    }
  }

  /**
   * An existing heads topic without compaction loses published versions (and, once the pointer
   * records expire, the serving heads) after its retention time; say so, but keep going.
   */
  private static void warnUnlessCompacted(Admin admin, String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try {
      Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
      ConfigEntry policy = config == null ? null : config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      if (policy != null
          && !List.of(policy.value().split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
        LOG.warn(
            "The heads topic {} has cleanup.policy={}: published heads are deleted after its"
                + " retention time and restarted instances fall back to the model file. Set"
                + " cleanup.policy=compact on it.",
            topic,
            policy.value());
      }
    } catch (ExecutionException e) {
      LOG.warn(
          "Cannot read the configuration of the heads topic {} ({}); make sure it has"
              + " cleanup.policy=compact",
          topic,
          e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HeadsTopicException("interrupted while describing " + topic, e);
    }
  }

  /** The heads topic is missing and cannot be created; the message says what to do. */
  public static final class HeadsTopicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HeadsTopicException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
