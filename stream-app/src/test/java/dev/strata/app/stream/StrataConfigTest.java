package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrataConfigTest {
  @TempDir Path dir;

  private static Map<String, Object> required() {
    Map<String, Object> m = new HashMap<>();
    m.put("bootstrap.servers", "broker:9092");
    m.put("schema.registry.url", "http://registry:8080");
    m.put("model.path", "models/ner.model");
    return m;
  }

  @Test
  void defaults() {
    StrataConfig c = new StrataConfig(required());
    assertThat(c.batchMaxRecords()).isEqualTo(32);
    assertThat(c.batchMaxTokens()).isEqualTo(4096);
    assertThat(c.batchMaxWait()).isEqualTo(Duration.ofMillis(50));
    assertThat(c.processingGuarantee()).isEqualTo("exactly_once_v2");
    assertThat(c.textMaxChars()).isEqualTo(100_000);
    assertThat(c.inferenceFailurePolicy()).isEqualTo(FailurePolicy.DEAD_LETTER);
    assertThat(c.metricsPort()).isZero();
    assertThat(c.modelBackbone()).isEmpty();
  }

  @Test
  void fileThenEnvironmentOverrides() throws IOException {
    Path file = dir.resolve("strata.properties");
    Files.writeString(
        file,
        "bootstrap.servers=a:1,b:2\n"
            + "schema.registry.url=http://r\n"
            + "model.path=m.model\n"
            + "batch.max.records=8\n"
            + "topic.dead-letter=from-file\n"
            + "streams.num.stream.threads=3\n"
            + "basic.auth.user.info=u:p\n");
    StrataConfig c =
        StrataConfig.load(
            file,
            Map.of(
                "STRATA_BATCH_MAX_RECORDS", "16",
                "STRATA_TOPIC_DEAD_LETTER", "from-env",
                "STRATA_STREAMS_NUM_STREAM_THREADS", "4",
                "UNRELATED", "x"));
    assertThat(c.batchMaxRecords()).isEqualTo(16);
    assertThat(c.deadLetterTopic()).isEqualTo("from-env");
    assertThat(c.bootstrapServers()).isEqualTo("a:1,b:2");
    assertThat(c.streamsProperties())
        .containsEntry("num.stream.threads", "4")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, "exactly_once_v2")
        .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "a:1,b:2")
        .containsEntry("producer.transaction.timeout.ms", "30000");
    assertThat(c.serdeProperties())
        .containsEntry("basic.auth.user.info", "u:p")
        .containsEntry("schema.registry.url", "http://r")
        .doesNotContainKey("streams.num.stream.threads");
  }

  @Test
  void environmentSetsSerdeAndStreamsKeysThatTheFileDoesNotName() throws IOException {
    Path file = dir.resolve("strata.properties");
    Files.writeString(
        file, "bootstrap.servers=a:1\nschema.registry.url=http://r\nmodel.path=m.model\n");
    StrataConfig c =
        StrataConfig.load(
            file,
            Map.of(
                "STRATA_BASIC_AUTH_USER_INFO", "user:secret",
                "STRATA_SCHEMA_REGISTRY_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "STRATA_STREAMS_NUM_STREAM_THREADS", "2",
                "STRATA_STREAMS_PRODUCER_TRANSACTION_TIMEOUT_MS", "60000",
                "STRATA_CACHE_DIR", "/elsewhere"));
    assertThat(c.serdeProperties())
        .containsEntry("basic.auth.user.info", "user:secret")
        .containsEntry("schema.registry.ssl.truststore.password", "changeit");
    assertThat(c.streamsProperties())
        .containsEntry("num.stream.threads", "2")
        .containsEntry("producer.transaction.timeout.ms", "60000");
    assertThat(c.clientProperties()).containsEntry("num.stream.threads", "2");
  }

  @Test
  void explicitTransactionTimeoutIsKept() {
    StrataConfig c =
        new StrataConfig(
            Map.of(
                "bootstrap.servers", "a:1",
                "schema.registry.url", "http://r",
                "model.path", "m.model",
                "streams.producer.transaction.timeout.ms", "10000"));
    assertThat(c.streamsProperties()).containsEntry("producer.transaction.timeout.ms", "10000");
  }

  @Test
  void envNames() {
    assertThat(StrataConfig.envName("batch.max.wait.ms")).isEqualTo("STRATA_BATCH_MAX_WAIT_MS");
    assertThat(StrataConfig.envName("topic.dead-letter")).isEqualTo("STRATA_TOPIC_DEAD_LETTER");
  }

  @Test
  void anOutOfRangeValueNamesKeyValueAndRange() {
    Map<String, Object> m = required();
    m.put("batch.max.records", "0");
    assertThatThrownBy(() -> new StrataConfig(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.max.records")
        .hasMessageContaining("0")
        .hasMessageContaining("at least 1");
  }

  @Test
  void aNonNumberNamesKeyAndValue() {
    Map<String, Object> m = required();
    m.put("batch.max.wait.ms", "soon");
    assertThatThrownBy(() -> new StrataConfig(m))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("batch.max.wait.ms")
        .hasMessageContaining("soon");
  }

  @Test
  void anUnknownPolicyListsTheAllowedOnes() {
    Map<String, Object> m = required();
    m.put("inference.failure.policy", "CONTINUE");
    assertThatThrownBy(() -> new StrataConfig(m))
        .hasMessageContaining("inference.failure.policy")
        .hasMessageContaining("CONTINUE")
        .hasMessageContaining("DEAD_LETTER")
        .hasMessageContaining("FAIL");
  }

  @Test
  void aMissingRequiredKeyIsNamed() {
    Map<String, Object> m = required();
    m.remove("model.path");
    assertThatThrownBy(() -> new StrataConfig(m)).hasMessageContaining("model.path");
  }

  @Test
  void aMissingFileSaysSo() {
    assertThatThrownBy(() -> StrataConfig.load(dir.resolve("nope.properties"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.properties")
        .hasMessageContaining("does not exist");
  }

  @Test
  void markdownTableListsEveryKeyAndWritesItForTheReadme() throws IOException {
    String table = StrataConfig.markdownTable();
    for (String key : StrataConfig.configDef().names()) {
      assertThat(table).contains("| `" + key + "` |");
    }
    Path target = Path.of("target", "config-keys.md");
    Files.createDirectories(target.getParent());
    Files.writeString(target, table);
  }

  /**
   * The repository README documents every key. Fails until the generated table (see
   * target/config-keys.md after a test run) is pasted under the marker.
   */
  @Test
  void readmeDocumentsEveryKey() throws IOException {
    Path readme = Path.of("..", "README.md");
    assertThat(readme).as("repository README next to the module").exists();
    String text = Files.readString(readme);
    String howTo =
        "README.md needs a '<!-- config-keys -->' section with the table from"
            + " StrataConfig.markdownTable() (written to stream-app/target/config-keys.md by"
            + " StrataConfigTest):\n"
            + StrataConfig.markdownTable();
    assertThat(text).as(howTo).contains("<!-- config-keys -->");
    for (String key : StrataConfig.configDef().names()) {
      assertThat(text).as("README entry for " + key + "; " + howTo).contains("`" + key + "`");
    }
  }

  /** The sample configuration the README starts from parses and points at the local infra. */
  @Test
  void theShippedSampleConfigurationIsValid() {
    Path sample = Path.of("..", "deploy", "config", "strata.properties");
    assertThat(sample).as("deploy/config/strata.properties next to the module").exists();
    StrataConfig c = StrataConfig.load(sample, Map.of());
    assertThat(c.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(c.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:8081/apis/ccompat/v7");
    assertThat(c.inputTopic()).isEqualTo("strata.text");
    assertThat(c.feedbackTopic()).isEqualTo("strata.feedback");
    assertThat(c.serdeProperties()).containsOnlyKeys("schema.registry.url");
  }

  @Test
  void keysNoComponentKnowsAreReportedAsUnknown() {
    Map<String, Object> props = required();
    props.put("batch.max.record", "8");
    props.put("num.stream.threads", "2");
    props.put("streams.num.stream.threads", "2");
    props.put("basic.auth.user.info", "u:p");
    props.put("auto.register.schemas", "false");
    assertThat(new StrataConfig(props).unknownKeys())
        .containsExactly("batch.max.record", "num.stream.threads");
  }

  @Test
  void streamsCopiesOfStrataKeysAreRefusedWithTheKeyToUse() {
    for (String own :
        new String[] {"application.id", "bootstrap.servers", "processing.guarantee"}) {
      Map<String, Object> props = required();
      props.put("streams." + own, "x");
      assertThatThrownBy(() -> new StrataConfig(props))
          .as(own)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("streams." + own)
          .hasMessageContaining("set " + own + " instead");
    }
    Map<String, Object> props = required();
    props.put("streams.num.stream.threads", "2");
    assertThat(new StrataConfig(props).streamsProperties())
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2");
  }

  @Test
  void theRecordSizeLimitIsTheProducersMaxRequestSize() {
    assertThat(new StrataConfig(required()).recordSizeLimit().maxRequestSize())
        .as("Kafka's default")
        .isEqualTo(1024 * 1024);
    Map<String, Object> props = required();
    props.put("streams.max.request.size", "2000000");
    assertThat(new StrataConfig(props).recordSizeLimit().maxRequestSize()).isEqualTo(2_000_000);
    props.put("streams.producer.max.request.size", "3000000");
    assertThat(new StrataConfig(props).recordSizeLimit().maxRequestSize())
        .as("the producer-prefixed key wins, as in Kafka Streams")
        .isEqualTo(3_000_000);
    props.put("streams.producer.max.request.size", "1MB");
    assertThatThrownBy(() -> new StrataConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("streams.producer.max.request.size")
        .hasMessageContaining("not a whole number of bytes");
    props.put("streams.producer.max.request.size", "1000");
    assertThatThrownBy(() -> new StrataConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("use at least " + RecordSizeLimit.MIN_REQUEST_SIZE);
  }

  @Test
  void twoKeysNamingOneTopicAreRefused() {
    Map<String, Object> props = required();
    props.put("topic.heads", "shared");
    props.put("topic.feedback", "shared");
    assertThatThrownBy(() -> new StrataConfig(props))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("topic.heads")
        .hasMessageContaining("is also topic.feedback");
  }
}
