package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.registry.SchemaRegistryClientConfig;
import dev.strata.schemas.serde.ConfluentAvroSerdeConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream application's settings, parsed and validated once into an immutable object. Every key
 * has a constant here and, in {@link StrataConfigDef}, a default (or none when required), a
 * validator and a doc string; a bad value fails with a {@link ConfigException} naming the key, the
 * value and what is allowed.
 *
 * <p>Sources, later wins: the properties file, then environment variables {@code STRATA_<KEY>} with
 * the key upper-cased and {@code .} and {@code -} replaced by {@code _} (e.g. {@code
 * STRATA_BATCH_MAX_RECORDS}, {@code STRATA_TOPIC_DEAD_LETTER}; a dash is not allowed in most
 * shells' variable names).
 *
 * <p>Keys starting with {@value #STREAMS_PREFIX} are passed to Kafka Streams without the prefix
 * ({@code streams.num.stream.threads=2}); the registry client's own keys ({@code basic.auth.*},
 * {@code schema.registry.ssl.*}, ...) are passed to the Avro serdes unchanged.
 */
public final class StrataConfig extends AbstractConfig {
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String APPLICATION_ID = "application.id";
  public static final String TOPIC_INPUT = "topic.input";
  public static final String TOPIC_OUTPUT = "topic.output";
  public static final String TOPIC_DEAD_LETTER = "topic.dead-letter";
  public static final String BATCH_MAX_RECORDS = "batch.max.records";
  public static final String BATCH_MAX_TOKENS = "batch.max.tokens";
  public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
  public static final String BATCH_STORE_TYPE = "batch.store.type";
  public static final String PROCESSING_GUARANTEE = "processing.guarantee";
  public static final String TEXT_MAX_CHARS = "text.max.chars";
  public static final String TEXT_MAX_TOKENS = "text.max.tokens";
  public static final String MODEL_PATH = "model.path";
  public static final String MODEL_BACKBONE = "model.backbone";
  public static final String INFERENCE_FAILURE_POLICY = "inference.failure.policy";
  public static final String METRICS_PORT = "metrics.port";
  public static final String TOPIC_FEEDBACK = "topic.feedback";
  public static final String TOPIC_HEADS = "topic.heads";
  public static final String FEEDBACK_MAX_PER_HEAD = "feedback.max.per.head";
  public static final String RETRAIN_MIN_NEW_EXAMPLES = "retrain.min.new.examples";
  public static final String RETRAIN_INTERVAL_MS = "retrain.interval.ms";
  public static final String RETRAIN_CHECK_MS = "retrain.check.ms";
  public static final String HEADS_MAX_BYTES = "heads.max.bytes";
  public static final String HEADS_HISTORY_KEEP = "heads.history.keep";
  public static final String MODEL_HEAD_NAME = "model.head.name";
  public static final String RETRAIN_ENABLED = "retrain.enabled";
  public static final String REFINE_MARGIN = "refine.margin";
  public static final String REFINE_BASE_DATA = "refine.base.data";

  /** Prefix of keys passed through to Kafka Streams. */
  public static final String STREAMS_PREFIX = "streams.";

  /** The Kafka Streams key of the producer's transaction timeout. */
  static final String PRODUCER_TRANSACTION_TIMEOUT =
      StreamsConfig.producerPrefix(
          org.apache.kafka.clients.producer.ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);

  /**
   * Transaction timeout used unless {@code streams.producer.transaction.timeout.ms} is set: 30 s,
   * above one batch's inference on a busy CPU, short enough that the partitions of a crashed
   * instance resume within about that time.
   */
  public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 30_000;

  /** Prefix of environment variables that override file settings. */
  public static final String ENV_PREFIX = EnvironmentOverrides.PREFIX;

  /** The keys of the Avro serdes and the registry client, which pass through to the serdes. */
  private static final Set<String> SERDE_KEYS = serdeKeys();

  private static final ConfigDef CONFIG_DEF = StrataConfigDef.DEF;

  private final Map<String, String> passThrough;
  private final RecordSizeLimit recordSizeLimit;

  /**
   * Parses and validates {@code props}.
   *
   * @throws ConfigException naming the key, the bad value and what is allowed
   */
  public StrataConfig(Map<String, ?> props) {
    super(CONFIG_DEF, props, false);
    Map<String, String> rest = new TreeMap<>();
    props.forEach(
        (k, v) -> {
          if (!CONFIG_DEF.names().contains(k) && v != null) {
            rest.put(k, String.valueOf(v));
          }
        });
    this.passThrough = Map.copyOf(rest);
    this.recordSizeLimit = RecordSizeLimit.of(passThrough, STREAMS_PREFIX);
    requireDistinctTopics();
    refuseStreamsKeysStrataSets();
  }

  /**
   * Kafka Streams settings that Strata's own keys set: a {@code streams.} copy would be overridden
   * without a word, so it is refused with the key to use instead.
   */
  private void refuseStreamsKeysStrataSets() {
    for (String own : List.of(APPLICATION_ID, BOOTSTRAP_SERVERS, PROCESSING_GUARANTEE)) {
      String shadow = STREAMS_PREFIX + own;
      if (passThrough.containsKey(shadow)) {
        throw new ConfigException(
            shadow,
            passThrough.get(shadow),
            "Strata sets this Kafka Streams setting from its own key; set " + own + " instead");
      }
    }
  }

  /** Each topic carries its own record type (or raw bytes), so no two keys may name one topic. */
  private void requireDistinctTopics() {
    Map<String, String> keyOfTopic = new HashMap<>();
    for (String key :
        List.of(TOPIC_INPUT, TOPIC_OUTPUT, TOPIC_DEAD_LETTER, TOPIC_FEEDBACK, TOPIC_HEADS)) {
      String other = keyOfTopic.putIfAbsent(getString(key), key);
      if (other != null) {
        throw new ConfigException(
            key,
            getString(key),
            "is also " + other + "; every topic of the application needs a name of its own");
      }
    }
  }

  /**
   * Reads {@code file} and applies {@code STRATA_*} overrides from {@code env}.
   *
   * @throws ConfigException when the file cannot be read or a value is bad
   */
  public static StrataConfig load(Path file, Map<String, String> env) {
    requireNonNull(file, "file");
    requireNonNull(env, "env");
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          "Config file " + file + " does not exist; pass an existing file to --config");
    } catch (IOException e) {
      throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
    }
    Map<String, Object> props = new HashMap<>();
    p.forEach((k, v) -> props.put((String) k, v));
    Set<String> keys = new HashSet<>(CONFIG_DEF.names());
    keys.addAll(SERDE_KEYS);
    keys.addAll(props.keySet());
    props.putAll(EnvironmentOverrides.of(keys, STREAMS_PREFIX, env));
    return new StrataConfig(props);
  }

  /** The environment variable that overrides {@code key}. */
  public static String envName(String key) {
    return EnvironmentOverrides.envName(key);
  }

  private static Set<String> serdeKeys() {
    Set<String> keys = new HashSet<>(ConfluentAvroSerdeConfig.configDef().names());
    keys.addAll(SchemaRegistryClientConfig.configDef().names());
    return Set.copyOf(keys);
  }

  /** A copy of the definitions. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  /** All keys as a markdown table (name, default, environment variable, doc), in name order. */
  public static String markdownTable() {
    return StrataConfigDef.markdownTable();
  }

  public String bootstrapServers() {
    return String.join(",", getList(BOOTSTRAP_SERVERS));
  }

  public String schemaRegistryUrl() {
    return getString(SCHEMA_REGISTRY_URL);
  }

  public String applicationId() {
    return getString(APPLICATION_ID);
  }

  public String inputTopic() {
    return getString(TOPIC_INPUT);
  }

  public String outputTopic() {
    return getString(TOPIC_OUTPUT);
  }

  public String deadLetterTopic() {
    return getString(TOPIC_DEAD_LETTER);
  }

  public int batchMaxRecords() {
    return getInt(BATCH_MAX_RECORDS);
  }

  public int batchMaxTokens() {
    return getInt(BATCH_MAX_TOKENS);
  }

  public Duration batchMaxWait() {
    return Duration.ofMillis(getLong(BATCH_MAX_WAIT_MS));
  }

  public BatchStoreType batchStoreType() {
    return BatchStoreType.valueOf(getString(BATCH_STORE_TYPE));
  }

  public String processingGuarantee() {
    return getString(PROCESSING_GUARANTEE);
  }

  public int textMaxChars() {
    return getInt(TEXT_MAX_CHARS);
  }

  /** What one text may be: {@code text.max.chars}, {@code text.max.tokens}, the record size. */
  public TextLimits textLimits() {
    return new TextLimits(textMaxChars(), getInt(TEXT_MAX_TOKENS), recordSizeLimit);
  }

  /** The producer's {@code max.request.size}, from {@code streams.*} or Kafka's default. */
  public RecordSizeLimit recordSizeLimit() {
    return recordSizeLimit;
  }

  public Path modelPath() {
    return Path.of(getString(MODEL_PATH));
  }

  /** The expected backbone id, empty when any is accepted. */
  public String modelBackbone() {
    return getString(MODEL_BACKBONE);
  }

  public FailurePolicy inferenceFailurePolicy() {
    return FailurePolicy.valueOf(getString(INFERENCE_FAILURE_POLICY));
  }

  /** Metrics port, 0 when disabled. */
  public int metricsPort() {
    return getInt(METRICS_PORT);
  }

  public String feedbackTopic() {
    return getString(TOPIC_FEEDBACK);
  }

  public String headsTopic() {
    return getString(TOPIC_HEADS);
  }

  public int feedbackMaxPerHead() {
    return getInt(FEEDBACK_MAX_PER_HEAD);
  }

  public int retrainMinNewExamples() {
    return getInt(RETRAIN_MIN_NEW_EXAMPLES);
  }

  public Duration retrainInterval() {
    return Duration.ofMillis(getLong(RETRAIN_INTERVAL_MS));
  }

  public Duration retrainCheck() {
    return Duration.ofMillis(getLong(RETRAIN_CHECK_MS));
  }

  public String modelHeadName() {
    return getString(MODEL_HEAD_NAME);
  }

  public boolean retrainEnabled() {
    return getBoolean(RETRAIN_ENABLED);
  }

  public double refineMargin() {
    return getDouble(REFINE_MARGIN);
  }

  /** The base data file, or {@code null} when none is set. */
  public Path refineBaseData() {
    String v = getString(REFINE_BASE_DATA);
    return v.isBlank() ? null : Path.of(v);
  }

  public int headsMaxBytes() {
    return getInt(HEADS_MAX_BYTES);
  }

  public int headsHistoryKeep() {
    return getInt(HEADS_HISTORY_KEEP);
  }

  /**
   * Keys that are neither Strata's, nor {@code streams.*}, nor a key of the Avro serdes or the
   * registry client: passed to the serdes, which ignore them, so most likely misspelled.
   */
  public Set<String> unknownKeys() {
    Set<String> out = new TreeSet<>();
    for (String k : passThrough.keySet()) {
      if (!k.startsWith(STREAMS_PREFIX) && !SERDE_KEYS.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /** Plain client properties (bootstrap servers plus the {@code streams.*} pass-through keys). */
  public Properties clientProperties() {
    Properties p = new Properties();
    passThrough.forEach(
        (k, v) -> {
          if (k.startsWith(STREAMS_PREFIX)) {
            p.put(k.substring(STREAMS_PREFIX.length()), v);
          }
        });
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /** Kafka Streams properties: the client properties plus ours. */
  public Properties streamsProperties() {
    Properties p = clientProperties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
    // Kafka Streams lowers the producer's transaction timeout to 10 s under exactly-once; one
    // micro-batch's CPU inference (plus its wait) can take longer on a busy machine, and the
    // broker then aborts the transaction and fences the task. A longer timeout also delays
    // recovery from a crash (a killed instance's open transaction blocks read_committed readers
    // of its changelogs until it times out), so the default is only moderately wider.
    p.putIfAbsent(PRODUCER_TRANSACTION_TIMEOUT, String.valueOf(DEFAULT_TRANSACTION_TIMEOUT_MS));
    // The topology has no global stores, so this changes nothing but silences the warning Kafka
    // Streams 4.x logs each time a StreamsConfig is made without it (default true from Kafka 5).
    p.putIfAbsent(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    return p;
  }

  /** Properties for the Avro serdes: the registry URL plus every key that is not ours. */
  public Map<String, Object> serdeProperties() {
    Map<String, Object> m = new HashMap<>();
    passThrough.forEach(
        (k, v) -> {
          if (!k.startsWith(STREAMS_PREFIX)) {
            m.put(k, v);
          }
        });
    m.put(SCHEMA_REGISTRY_URL, schemaRegistryUrl());
    return m;
  }
}
