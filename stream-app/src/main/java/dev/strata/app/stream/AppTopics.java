package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.streams.StreamsConfig;
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

  private static final Duration SAFETY_NET = Duration.ofMinutes(10);

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

  /** What the broker says about a topic. */
  public enum State {
    EXISTS,
    MISSING,
    /** This client's principal may not DESCRIBE it (so it may or may not exist). */
    NOT_AUTHORIZED
  }

  /**
   * A topic as the broker sees it.
   *
   * @param topic the topic
   * @param state whether it exists
   * @param partitions its partitions when it exists, else 0
   */
  public record Status(Topic topic, State state, int partitions) {
    public Status {
      requireNonNull(topic, "topic");
      requireNonNull(state, "state");
    }

    public boolean exists() {
      return state == State.EXISTS;
    }
  }

  private AppTopics() {}

  /**
   * An admin client configured as Kafka Streams configures its own ({@code bootstrap.servers} and
   * the {@code streams.*} keys, {@code streams.admin.*} included, so TLS and SASL apply) whose
   * calls give up after {@link #ADMIN_TIMEOUT} (or the configured request timeout, if longer).
   *
   * @throws TopicsException when the settings do not make a valid client (e.g. a bootstrap host
   *     that does not resolve)
   */
  public static Admin admin(StrataConfig config, String clientId) {
    try {
      Map<String, Object> p =
          new HashMap<>(new StreamsConfig(config.streamsProperties()).getAdminConfigs(clientId));
      long request =
          p.containsKey(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)
              ? Long.parseLong(String.valueOf(p.get(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG)))
              : ADMIN_TIMEOUT.toMillis();
      // The admin client refuses a default API timeout shorter than its request timeout.
      p.put(
          AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
          (int) Math.max(ADMIN_TIMEOUT.toMillis(), request));
      p.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ADMIN_TIMEOUT.toMillis());
      return Admin.create(p);
    } catch (KafkaException | NumberFormatException e) {
      throw new TopicsException(
          "cannot make a Kafka admin client for "
              + config.bootstrapServers()
              + ": "
              + e.getMessage()
              + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")")
              + "; check bootstrap.servers and the streams.* settings",
          e);
    }
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
   * @throws TopicsException when the broker does not answer or refuses the request for another
   *     reason than a missing topic or a missing DESCRIBE permission
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
        int partitions = await(futures.get(t.name()), t).partitions().size();
        out.add(new Status(t, State.EXISTS, partitions));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          out.add(new Status(t, State.MISSING, 0));
        } else if (e.getCause() instanceof TopicAuthorizationException) {
          out.add(new Status(t, State.NOT_AUTHORIZED, 0));
        } else {
          throw new TopicsException(
              "cannot look up topic " + t + ": " + e.getCause().getMessage(), e.getCause());
        }
      }
    }
    return out;
  }

  /**
   * Checks the topics of {@code config} before the application starts: a missing source topic is an
   * error naming its key, a missing output topic a warning (a broker with {@code
   * auto.create.topics.enable=true} creates it on the first write).
   *
   * @throws TopicsException when a source topic is missing or may not be described, or the broker
   *     does not answer
   */
  public static void requireSources(Admin admin, StrataConfig config) {
    List<Status> status = describe(admin, of(config));
    List<Topic> missingSources = inState(status, State.MISSING, true);
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
    List<Topic> hiddenSources = inState(status, State.NOT_AUTHORIZED, true);
    if (!hiddenSources.isEmpty()) {
      throw new TopicsException(
          "not authorized to describe "
              + join(hiddenSources)
              + " on "
              + config.bootstrapServers()
              + ": grant the application's principal DESCRIBE and READ on them.");
    }
    List<Topic> missingSinks = inState(status, State.MISSING, false);
    if (!missingSinks.isEmpty()) {
      LOG.warn(
          "Output topics missing on {}: {}. The broker creates them with its defaults on the first"
              + " write only if auto.create.topics.enable=true; otherwise every write fails."
              + " Create them with './strata topics create --config FILE'.",
          config.bootstrapServers(),
          join(missingSinks));
    }
    List<Topic> hiddenSinks = inState(status, State.NOT_AUTHORIZED, false);
    if (!hiddenSinks.isEmpty()) {
      LOG.warn(
          "Not authorized to describe {} on {}; the application needs WRITE on them (which"
              + " implies DESCRIBE), so writes will fail unless that is granted.",
          join(hiddenSinks),
          config.bootstrapServers());
    }
  }

  /**
   * Creates every topic of {@code topics} that does not exist yet and waits until the broker lists
   * them; existing ones are left as they are.
   *
   * @param partitions partitions of each new topic; empty = the broker's {@code num.partitions}
   * @param replicationFactor replication factor; empty = the broker's {@code
   *     default.replication.factor}
   * @return the topics this call created
   * @throws TopicsException when the broker does not answer, a topic may not be described, or the
   *     broker refuses to create one
   */
  public static List<Topic> createMissing(
      Admin admin,
      List<Topic> topics,
      Optional<Integer> partitions,
      Optional<Short> replicationFactor) {
    requireNonNull(admin, "admin");
    List<Status> status = describe(admin, topics);
    List<Topic> hidden = inState(status, State.NOT_AUTHORIZED, null);
    if (!hidden.isEmpty()) {
      throw new TopicsException(
          "not authorized to describe "
              + join(hidden)
              + ": grant this client's principal DESCRIBE on them (and CREATE to make them).");
    }
    List<Topic> todo = inState(status, State.MISSING, null);
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
        created.add(t);
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
    awaitListed(admin, created);
    return created;
  }

  /**
   * Waits (up to {@link #ADMIN_TIMEOUT}) until the broker's metadata lists every topic of {@code
   * topics}: a topic just created may not be described at once.
   */
  public static void awaitListed(Admin admin, List<Topic> topics) {
    long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
    while (!topics.isEmpty()
        && !describe(admin, topics).stream().allMatch(Status::exists)
        && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TopicsException("interrupted while waiting for the new topics", e);
      }
    }
  }

  /** The topics in {@code state}; {@code source} null = any, else only sources or only sinks. */
  private static List<Topic> inState(List<Status> status, State state, Boolean source) {
    return status.stream()
        .filter(s -> s.state() == state)
        .map(Status::topic)
        .filter(t -> source == null || t.source() == source)
        .toList();
  }

  private static String join(List<Topic> topics) {
    return topics.stream().map(Topic::toString).collect(Collectors.joining(", "));
  }

  private static <T> T await(Future<T> future, Topic topic) throws ExecutionException {
    try {
      // The client's default.api.timeout.ms ends every call; this bound is only a safety net.
      return future.get(SAFETY_NET.toMillis(), TimeUnit.MILLISECONDS);
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
        "Kafka did not answer in time while looking at topic "
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
