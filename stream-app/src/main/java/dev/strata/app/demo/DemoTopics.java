package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.StrataConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the demo's input, output, dead-letter and feedback topics when they do not exist yet
 * (Kafka Streams stops with {@code MissingSourceTopicException} when a source topic is missing).
 */
final class DemoTopics {
  private static final long TIMEOUT_SECONDS = 30;

  private DemoTopics() {}

  static void ensure(StrataConfig config) throws InterruptedException {
    requireNonNull(config, "config");
    List<NewTopic> topics = new ArrayList<>();
    for (String name :
        List.of(
            config.inputTopic(),
            config.outputTopic(),
            config.deadLetterTopic(),
            config.feedbackTopic())) {
      topics.add(new NewTopic(name, 1, (short) 1));
    }
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "strata-demo-admin"))) {
      for (var entry : admin.createTopics(topics).values().entrySet()) {
        try {
          entry.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new DemoException(
                "cannot create topic "
                    + entry.getKey()
                    + " on "
                    + config.bootstrapServers()
                    + ": "
                    + e.getCause().getMessage(),
                e);
          }
        } catch (TimeoutException e) {
          throw new DemoException(
              "Kafka at "
                  + config.bootstrapServers()
                  + " did not answer within "
                  + TIMEOUT_SECONDS
                  + " s; check it with ./strata infra status",
              e);
        }
      }
    }
  }
}
