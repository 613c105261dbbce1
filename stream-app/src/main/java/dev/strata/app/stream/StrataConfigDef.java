package dev.strata.app.stream;

import static dev.strata.app.stream.StrataConfig.APPLICATION_ID;
import static dev.strata.app.stream.StrataConfig.BATCH_MAX_RECORDS;
import static dev.strata.app.stream.StrataConfig.BATCH_MAX_TOKENS;
import static dev.strata.app.stream.StrataConfig.BATCH_MAX_WAIT_MS;
import static dev.strata.app.stream.StrataConfig.BATCH_STORE_TYPE;
import static dev.strata.app.stream.StrataConfig.BOOTSTRAP_SERVERS;
import static dev.strata.app.stream.StrataConfig.FEEDBACK_MAX_PER_HEAD;
import static dev.strata.app.stream.StrataConfig.HEADS_HISTORY_KEEP;
import static dev.strata.app.stream.StrataConfig.HEADS_MAX_BYTES;
import static dev.strata.app.stream.StrataConfig.INFERENCE_FAILURE_POLICY;
import static dev.strata.app.stream.StrataConfig.METRICS_PORT;
import static dev.strata.app.stream.StrataConfig.MODEL_BACKBONE;
import static dev.strata.app.stream.StrataConfig.MODEL_HEAD_NAME;
import static dev.strata.app.stream.StrataConfig.MODEL_PATH;
import static dev.strata.app.stream.StrataConfig.PROCESSING_GUARANTEE;
import static dev.strata.app.stream.StrataConfig.REFINE_BASE_DATA;
import static dev.strata.app.stream.StrataConfig.REFINE_MARGIN;
import static dev.strata.app.stream.StrataConfig.RETRAIN_CHECK_MS;
import static dev.strata.app.stream.StrataConfig.RETRAIN_ENABLED;
import static dev.strata.app.stream.StrataConfig.RETRAIN_INTERVAL_MS;
import static dev.strata.app.stream.StrataConfig.RETRAIN_MIN_NEW_EXAMPLES;
import static dev.strata.app.stream.StrataConfig.SCHEMA_REGISTRY_URL;
import static dev.strata.app.stream.StrataConfig.TEXT_MAX_CHARS;
import static dev.strata.app.stream.StrataConfig.TEXT_MAX_TOKENS;
import static dev.strata.app.stream.StrataConfig.TOPIC_DEAD_LETTER;
import static dev.strata.app.stream.StrataConfig.TOPIC_FEEDBACK;
import static dev.strata.app.stream.StrataConfig.TOPIC_HEADS;
import static dev.strata.app.stream.StrataConfig.TOPIC_INPUT;
import static dev.strata.app.stream.StrataConfig.TOPIC_OUTPUT;

import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The definitions of {@link StrataConfig}'s keys: type, default, validator, importance and doc
 * string of each. Kept apart from the parsed settings so that the accessors read as a list; the
 * README's configuration table is generated from these ({@link #markdownTable()}).
 */
final class StrataConfigDef {
  /** Shared and never modified: {@link StrataConfig#configDef()} hands out copies. */
  static final ConfigDef DEF =
      new ConfigDef()
          .define(
              BOOTSTRAP_SERVERS,
              Type.LIST,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.Validator() {
                @Override
                public void ensureValid(String name, Object value) {
                  if (value == null || ((List<?>) value).isEmpty()) {
                    throw new ConfigException(name, value, "give at least one host:port");
                  }
                }

                @Override
                public String toString() {
                  return "host:port[,host:port...]";
                }
              },
              Importance.HIGH,
              "Kafka brokers to bootstrap from, host:port comma-separated.")
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Confluent-compatible schema registry base URL including any path prefix (e.g."
                  + " /apis/ccompat/v7 for Apicurio).")
          .define(
              APPLICATION_ID,
              Type.STRING,
              "strata-stream",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Kafka Streams application.id: consumer group, and prefix of internal topics and"
                  + " state directories. Change it only to start over from scratch.")
          .define(
              TOPIC_INPUT,
              Type.STRING,
              "strata.text",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Input topic of TextRecord values (Confluent Avro wire format).")
          .define(
              TOPIC_OUTPUT,
              Type.STRING,
              "strata.annotated",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Output topic of AnnotatedRecord values (Confluent Avro wire format).")
          .define(
              TOPIC_DEAD_LETTER,
              Type.STRING,
              "strata.dead-letter",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Dead-letter topic: the original key and value bytes of every input record that"
                  + " could not be annotated, with strata.dlq.* headers saying why.")
          .define(
              BATCH_MAX_RECORDS,
              Type.INT,
              32,
              Range.between(1, 10_000),
              Importance.MEDIUM,
              "A micro-batch is inferred as soon as it holds this many texts.")
          .define(
              BATCH_MAX_TOKENS,
              Type.INT,
              4096,
              Range.between(1, 1_000_000),
              Importance.MEDIUM,
              "A micro-batch is inferred as soon as its texts' sub-tokens add up to this many;"
                  + " a text that would overflow the budget starts the next batch.")
          .define(
              BATCH_MAX_WAIT_MS,
              Type.LONG,
              50L,
              Range.between(1, 60_000),
              Importance.MEDIUM,
              "A micro-batch is inferred at the latest this many wall-clock milliseconds after"
                  + " its first text arrived.")
          .define(
              BATCH_STORE_TYPE,
              Type.STRING,
              BatchStoreType.ROCKSDB.name(),
              ValidString.in(BatchStoreType.ROCKSDB.name(), BatchStoreType.IN_MEMORY.name()),
              Importance.LOW,
              "Where the open micro-batch waits, both changelogged: ROCKSDB on local disk,"
                  + " IN_MEMORY on the heap (restored from the changelog after a restart; no disk"
                  + " writes while processing).")
          .define(
              PROCESSING_GUARANTEE,
              Type.STRING,
              StreamsConfig.EXACTLY_ONCE_V2,
              ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
              Importance.MEDIUM,
              "exactly_once_v2: outputs, dead letters and the open batch commit atomically with"
                  + " the input offsets. at_least_once: a crash may emit some outputs twice.")
          .define(
              TEXT_MAX_CHARS,
              Type.INT,
              100_000,
              Range.between(1, 100_000_000),
              Importance.MEDIUM,
              "Texts longer than this (UTF-16 chars) are dead-lettered as TEXT_TOO_LONG instead"
                  + " of inferred; so are texts too large to store under the producer's"
                  + " max.request.size.")
          .define(
              TEXT_MAX_TOKENS,
              Type.INT,
              4096,
              Range.between(1, 10_000_000),
              Importance.MEDIUM,
              "Texts of more sub-tokens than this are dead-lettered as TEXT_TOO_LONG. Such a text"
                  + " is inferred alone, in one call inside the open transaction: a call longer"
                  + " than the transaction timeout gets the task fenced and the text re-read"
                  + " after every restart. BERT-base encoded 8192 sub-tokens in 17.5 s on 2 idle"
                  + " CPU cores.")
          .define(
              MODEL_PATH,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Model file written by 'strata train'.")
          .define(
              MODEL_BACKBONE,
              Type.STRING,
              "",
              Importance.LOW,
              "Expected backbone id (e.g. bert-base-cased); empty = the one the model file names."
                  + " When set, start-up fails if the model was trained on another backbone.")
          .define(
              INFERENCE_FAILURE_POLICY,
              Type.STRING,
              FailurePolicy.DEAD_LETTER.name(),
              ValidString.in(FailurePolicy.DEAD_LETTER.name(), FailurePolicy.FAIL.name()),
              Importance.MEDIUM,
              "When the model throws on a batch: DEAD_LETTER retries each text alone and"
                  + " dead-letters those that still fail; FAIL stops the application.")
          .define(
              METRICS_PORT,
              Type.INT,
              0,
              Range.between(0, 65_535),
              Importance.LOW,
              "Port of the HTTP endpoint serving Prometheus metrics on /metrics, liveness on"
                  + " /health/live (alias /health) and readiness on /health/ready; 0 = disabled.")
          .define(
              TOPIC_FEEDBACK,
              Type.STRING,
              "strata.feedback",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Feedback topic of FeedbackRecord values (Confluent Avro wire format): labelled"
                  + " examples that train the head they name. Invalid ones are dead-lettered as"
                  + " INVALID_FEEDBACK.")
          .define(
              TOPIC_HEADS,
              Type.STRING,
              "strata.heads",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Compacted topic of published heads (HeadRecord values): key NAME is the serving"
                  + " version, keys NAME@VERSION keep versions for rollback (heads.history.keep)."
                  + " Created with"
                  + " cleanup.policy=compact when missing.")
          .define(
              FEEDBACK_MAX_PER_HEAD,
              Type.INT,
              10_000,
              Range.between(1, 10_000_000),
              Importance.MEDIUM,
              "Most feedback examples kept per head; beyond it the example written longest ago is"
                  + " evicted (a re-sent id counts as newly written).")
          .define(
              RETRAIN_MIN_NEW_EXAMPLES,
              Type.INT,
              50,
              Range.between(1, 10_000_000),
              Importance.MEDIUM,
              "A head is retrained as soon as this many new or changed feedback examples arrived"
                  + " since its last training.")
          .define(
              RETRAIN_INTERVAL_MS,
              Type.LONG,
              600_000L,
              Range.between(1_000, 7L * 24 * 3600 * 1000),
              Importance.MEDIUM,
              "A head with at least one new feedback example is retrained at the latest this many"
                  + " milliseconds after its last training (or after this instance took it over).")
          .define(
              RETRAIN_CHECK_MS,
              Type.LONG,
              5_000L,
              Range.between(100, 3_600_000),
              Importance.LOW,
              "How often the retrainer looks at the feedback stores of the heads this instance"
                  + " owns.")
          .define(
              HEADS_MAX_BYTES,
              Type.INT,
              64 * 1024 * 1024,
              Range.between(1024, Integer.MAX_VALUE),
              Importance.LOW,
              "Largest head record, in bytes: max.message.bytes of the heads topic when the"
                  + " application creates it, and the publisher's max.request.size.")
          .define(
              HEADS_HISTORY_KEEP,
              Type.INT,
              20,
              Range.atLeast(1),
              Importance.LOW,
              "Versions of each head kept on the heads topic: after publishing, the retrainer"
                  + " deletes (tombstones) older history records, never the serving one. Older"
                  + " versions can no longer be rolled back to.")
          .define(
              MODEL_HEAD_NAME,
              Type.STRING,
              "base",
              new ConfigDef.Validator() {
                @Override
                public void ensureValid(String name, Object value) {
                  if (!(value instanceof String v) || !v.matches("[A-Za-z0-9._-]{1,64}")) {
                    throw new ConfigException(
                        name, value, "use 1-64 letters, digits, '.', '_' or '-'");
                  }
                }

                @Override
                public String toString() {
                  return "1-64 of [A-Za-z0-9._-]";
                }
              },
              Importance.MEDIUM,
              "Name under which the head in model.path serves: feedback for this name refines it,"
                  + " and a published version of this name on the heads topic replaces it."
                  + " Letters, digits, '.', '_', '-'.")
          .define(
              RETRAIN_ENABLED,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Whether this instance retrains the heads whose feedback it owns; false = it stores"
                  + " feedback and serves published heads but never trains (then no head whose"
                  + " feedback it owns is retrained).")
          .define(
              REFINE_MARGIN,
              Type.DOUBLE,
              0.02,
              Range.between(0.0, 1.0),
              Importance.MEDIUM,
              "A candidate head is published only if its F1 on the held-out feedback is at least"
                  + " the serving head's minus this margin (0.02 = 2 F1 points).")
          .define(
              REFINE_BASE_DATA,
              Type.STRING,
              "",
              Importance.LOW,
              "Labelled CoNLL file the model.path head was trained on; a sample of it is replayed"
                  + " when that head is refined so it keeps what it knew. Empty = no replay.");

  /** All keys as a markdown table (name, default, environment variable, doc), in name order. */
  static String markdownTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("| Key | Default | Valid values | Environment | Description |\n");
    sb.append("|---|---|---|---|---|\n");
    new TreeMap<>(DEF.configKeys())
        .values()
        .forEach(
            k ->
                sb.append("| `")
                    .append(k.name)
                    .append("` | ")
                    .append(defaultCell(k))
                    .append(" | ")
                    .append(k.validator == null ? "" : k.validator.toString().replace("|", "\\|"))
                    .append(" | `")
                    .append(EnvironmentOverrides.envName(k.name))
                    .append("` | ")
                    .append(k.documentation.replace("|", "\\|"))
                    .append(" |\n"));
    return sb.toString();
  }

  private static String defaultCell(ConfigDef.ConfigKey k) {
    if (!k.hasDefault()) {
      return "(required)";
    }
    String v = ConfigDef.convertToString(k.defaultValue, k.type);
    return v == null || v.isEmpty() ? "(empty)" : "`" + v + "`";
  }

  private StrataConfigDef() {}
}
