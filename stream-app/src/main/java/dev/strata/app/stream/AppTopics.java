package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topics the application reads and writes, as the configuration names them: which exist on the
 * broker, and creating the missing ones. Kafka Streams neither creates the topics it reads nor says
 * which one is missing, so {@code strata run} checks them before it starts.
 */
public final class AppTopics {
  private static final Logger LOG = LoggerFactory.getLogger(AppTopics.class);

  /** How long one admin request may take before the broker counts as unreachable. */
  public static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  /**
   * One topic of the application.
   *
   * @param key the configuration key that names it
   * @param name the topic name
   * @param source whether the application reads it (Kafka Streams refuses to start without it)
   */
  public record Topic(String key, String name, boolean source) {
    public Topic {
      requireNonNull(key, "key");
      requireNonNull(name, "name");
    }

    @Override
    public String toString() {
      return key + "=" + name;
    }
  }

  /**
   * A topic and its partition count on the broker.
   *
   * @param topic the topic
   * @param partitions its partitions, 0 when it does not exist
   */
  public record Status(Topic topic, int partitions) {
    public boolean exists() {
      return partitions > 0;
    }
  }

  private AppTopics() {}

  /**
   * An admin client with the application's client settings ({@code bootstrap.servers} and the
   * {@code streams.*} keys, so TLS and SASL apply) whose requests give up after {@link
   * #ADMIN_TIMEOUT}.
   */
  public static Admin admin(StrataConfig config, String clientId) {
    Properties p = config.clientProperties();
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
    return Admin.create(p);
  }

  /**
   * The input, feedback, output and dead-letter topics of {@code config}, sources first. The heads
   * topic is not among them: the application creates it compacted itself ({@code topic.heads}).
   */
  public static List<Topic> of(StrataConfig config) {
    requireNonNull(config, "config");
    return List.of(
        new Topic(StrataConfig.TOPIC_INPUT, config.inputTopic(), true),
        new Topic(StrataConfig.TOPIC_FEEDBACK, config.feedbackTopic(), true),
        new Topic(StrataConfig.TOPIC_OUTPUT, config.outputTopic(), false),
        new Topic(StrataConfig.TOPIC_DEAD_LETTER, config.deadLetterTopic(), false));
  }

  /**
   * Looks each topic up on the broker.
   *
   * @throws TopicsException when the broker does not answer or refuses to describe a topic
   */
  public static List<Status> describe(Admin admin, List<Topic> topics) {
    requireNonNull(admin, "admin");
    Map<String, ? extends Future<TopicDescription>> futures =
        admin
            .describeTopics(topics.stream().map(Topic::name).distinct().toList())
            .topicNameValues();
    List<Status> out = new ArrayList<>();
    for (Topic t : topics) {
      try {
        out.add(new Status(t, await(futures.get(t.name()), t).partitions().size()));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new TopicsException(
              "cannot look up topic " + t + ": " + e.getCause().getMessage(), e.getCause());
        }
        out.add(new Status(t, 0));
      }
    }
    return out;
  }

  /**
   * Checks the topics of {@code config} before the application starts: a missing source topic is an
   * error naming its key, a missing output topic a warning (a broker with {@code
   * auto.create.topics.enable=true} creates it on the first write).
   *
   * @throws TopicsException when a source topic is missing or the broker does not answer
   */
  public static void requireSources(Admin admin, StrataConfig config) {
    List<Status> status = describe(admin, of(config));
    List<Topic> missingSources = missing(status, true);
    if (!missingSources.isEmpty()) {
      throw new TopicsException(
          "missing on "
              + config.bootstrapServers()
              + ": "
              + join(missingSources)
              + ". Kafka Streams does not create the topics it reads: create them with"
              + " './strata topics create --config FILE' (or your own tooling), or set "
              + missingSources.stream().map(Topic::key).collect(Collectors.joining(" / "))
              + " to existing topics.");
    }
    List<Topic> missingSinks = missing(status, false);
    if (!missingSinks.isEmpty()) {
      LOG.warn(
          "Output topics missing on {}: {}. The broker creates them with its defaults on the first"
              + " write only if auto.create.topics.enable=true; otherwise every write fails."
              + " Create them with './strata topics create --config FILE'.",
          config.bootstrapServers(),
          join(missingSinks));
    }
  }

  /**
   * Creates every topic of {@code topics} that does not exist yet; existing ones are left as they
   * are.
   *
   * @param partitions partitions of each new topic; empty = the broker's {@code num.partitions}
   * @param replicationFactor replication factor; empty = the broker's {@code
   *     default.replication.factor}
   * @return the topics this call created
   * @throws TopicsException when the broker does not answer or refuses to create a topic
   */
  public static List<Topic> createMissing(
      Admin admin,
      List<Topic> topics,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor) {
    requireNonNull(admin, "admin");
    List<Topic> todo = missing(describe(admin, topics), null);
    if (todo.isEmpty()) {
      return List.of();
    }
    Map<String, ? extends Future<Void>> futures =
        admin
            .createTopics(
                todo.stream()
                    .map(Topic::name)
                    .distinct()
                    .map(n -> new NewTopic(n, partitions, replicationFactor))
                    .toList())
            .values();
    List<Topic> created = new ArrayList<>();
    for (Topic t : todo) {
      try {
        await(futures.get(t.name()), t);
        if (created.stream().noneMatch(c -> c.name().equals(t.name()))) {
          created.add(t);
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new TopicsException(
              "cannot create topic "
                  + t
                  + ": "
                  + e.getCause().getMessage()
                  + ". Create it with your own tooling, or grant this client CREATE on it.",
              e.getCause());
        }
      }
    }
    return created;
  }

  private static List<Topic> missing(List<Status> status, Boolean source) {
    return status.stream()
        .filter(s -> !s.exists() && (source == null || s.topic().source() == source))
        .map(Status::topic)
        .toList();
  }

  private static String join(List<Topic> topics) {
    return topics.stream().map(Topic::toString).collect(Collectors.joining(", "));
  }

  private static <T> T await(Future<T> future, Topic topic) throws ExecutionException {
    try {
      // A little longer than the client's own request timeout, which then reports first.
      return future.get(ADMIN_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw unreachable(topic, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(topic, e.getCause());
      }
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicsException("interrupted while looking at topic " + topic, e);
    }
  }

  private static TopicsException unreachable(Topic topic, Throwable cause) {
    return new TopicsException(
        "Kafka did not answer within "
            + ADMIN_TIMEOUT.toSeconds()
            + " s while looking at topic "
            + topic
            + "; check bootstrap.servers (and the streams.* security settings) and that the broker"
            + " runs (./strata infra status for the local one)",
        cause);
  }

  /**
   * The broker could not be reached, refused a request, or a topic the application reads is
   * missing.
   */
  public static final class TopicsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TopicsException(String message, Throwable cause) {
      super(message, cause);
    }

    TopicsException(String message) {
      super(message);
    }
  }
}
