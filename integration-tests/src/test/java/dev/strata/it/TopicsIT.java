package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataConfig;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topics of a configuration on the real broker: {@code strata run} refuses to start without its
 * source topics and names their keys, and {@code strata topics list|create} shows and creates them
 * (exit code 3 of {@code list}: a topic is missing).
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class TopicsIT {
  @TempDir Path dir;

  private final RealInfra infra = RealInfra.get();
  private final String prefix = Kafka.unique("strata-it-topics");

  @Test
  void runStopsWithOneLineNamingTheMissingSourceTopicsAndTheirKeys(EntityTaggerAnnotator trained)
      throws Exception {
    Path config = writeConfig();

    Cli run = Cli.run("run", "--config", config.toString());

    assertThat(run.code()).as(run.out()).isEqualTo(2);
    assertThat(run.out())
        .contains(
            "topic.input=" + prefix + ".text",
            "topic.feedback=" + prefix + ".feedback",
            "./strata topics create --config")
        .doesNotContain("Exception", "\tat ");
    assertThat(run.out().strip().lines()).as(run.out()).hasSize(1);
  }

  @Test
  void topicsCreateMakesTheMissingTopicsAndLeavesExistingOnesAlone() throws Exception {
    Path config = writeConfig();
    new Kafka(infra).createTopics(3, prefix + ".annotated");

    Cli before = Cli.run("topics", "list", "--config", config.toString());
    assertThat(before.code()).as(before.out()).isEqualTo(3);
    assertThat(before.out())
        .containsPattern("topic.input\\s+" + prefix + "\\.text\\s+missing")
        .containsPattern("topic.output\\s+" + prefix + "\\.annotated\\s+3\\b");

    Cli create = Cli.run("topics", "create", "--config", config.toString(), "--partitions", "2");
    assertThat(create.code()).as(create.out()).isZero();
    assertThat(create.out())
        .contains(
            "created topic.input=",
            "created topic.feedback=",
            "created topic.dead-letter=",
            "created topic.heads=")
        .doesNotContain("created topic.output=");

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
      Map<String, TopicDescription> topics =
          admin
              .describeTopics(
                  java.util.List.of(
                      prefix + ".text",
                      prefix + ".feedback",
                      prefix + ".dead-letter",
                      prefix + ".annotated",
                      prefix + ".heads"))
              .allTopicNames()
              .get();
      assertThat(topics.get(prefix + ".text").partitions()).hasSize(2);
      assertThat(topics.get(prefix + ".feedback").partitions()).hasSize(2);
      assertThat(topics.get(prefix + ".dead-letter").partitions()).hasSize(2);
      assertThat(topics.get(prefix + ".annotated").partitions()).hasSize(3);
      assertThat(topics.get(prefix + ".heads").partitions()).hasSize(1);
      ConfigResource heads = new ConfigResource(ConfigResource.Type.TOPIC, prefix + ".heads");
      org.apache.kafka.clients.admin.Config headsConfig =
          admin.describeConfigs(java.util.List.of(heads)).all().get().get(heads);
      assertThat(headsConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value())
          .isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
      assertThat(headsConfig.get(TopicConfig.SEGMENT_MS_CONFIG).value())
          .as("an hourly segment, so compaction reaches deleted versions")
          .isEqualTo("3600000");
      assertThat(Long.parseLong(headsConfig.get(TopicConfig.SEGMENT_BYTES_CONFIG).value()))
          .as("a segment holds a record of heads.max.bytes")
          .isGreaterThanOrEqualTo(
              Long.parseLong(headsConfig.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value()));
    }

    Cli again = Cli.run("topics", "create", "--config", config.toString());
    assertThat(again.code()).as(again.out()).isZero();
    assertThat(again.out()).doesNotContain("created ");
    Cli after = Cli.run("topics", "list", "--config", config.toString());
    assertThat(after.code()).as(after.out()).isZero();
    assertThat(after.out()).doesNotContain("missing");
  }

  @Test
  void badTopicCountsAreRefusedBeforeTheBrokerIsAsked() throws Exception {
    Cli create =
        Cli.run("topics", "create", "--config", writeConfig().toString(), "--partitions", "0");
    assertThat(create.code()).isEqualTo(2);
    assertThat(create.out()).contains("--partitions must be at least 1");
  }

  /** A configuration whose topics are all named after this test's prefix (none exists yet). */
  private Path writeConfig() throws Exception {
    Properties p = new Properties();
    p.setProperty(StrataConfig.BOOTSTRAP_SERVERS, infra.bootstrapServers());
    p.setProperty(StrataConfig.SCHEMA_REGISTRY_URL, infra.schemaRegistryUrl());
    p.setProperty(StrataConfig.APPLICATION_ID, prefix);
    p.setProperty(StrataConfig.TOPIC_INPUT, prefix + ".text");
    p.setProperty(StrataConfig.TOPIC_OUTPUT, prefix + ".annotated");
    p.setProperty(StrataConfig.TOPIC_DEAD_LETTER, prefix + ".dead-letter");
    p.setProperty(StrataConfig.TOPIC_FEEDBACK, prefix + ".feedback");
    p.setProperty(StrataConfig.TOPIC_HEADS, prefix + ".heads");
    p.setProperty(StrataConfig.MODEL_PATH, TrainedTagger.modelFile().toString());
    Path file = dir.resolve("strata.properties");
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      p.store(w, "TopicsIT");
    }
    return file;
  }
}
