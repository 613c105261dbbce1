package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.StrataConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream application's settings in the demo: its own application id and topics (so it never
 * reads or writes the topics of a real deployment on the same broker), small batches, and a state
 * directory of its own.
 */
public final class DemoConfig {
  public static final String APPLICATION_ID = "strata-demo";
  public static final String INPUT_TOPIC = "strata.demo.text";
  public static final String OUTPUT_TOPIC = "strata.demo.annotated";
  public static final String DEAD_LETTER_TOPIC = "strata.demo.dead-letter";

  /** The topology always reads a feedback topic, and Kafka Streams needs its source topics. */
  public static final String FEEDBACK_TOPIC = "strata.demo.feedback";

  public static final String HEADS_TOPIC = "strata.demo.heads";

  /** Small batches keep the printed latency low at the demo's rate of about one text a second. */
  static final int BATCH_MAX_RECORDS = 8;

  /**
   * Strata's default of 30 s (itself raised from Kafka Streams' exactly-once 10 s) aborts (and
   * fences) a transaction whose batch inference takes longer, which happens on a busy 2-core
   * machine with BERT-base.
   */
  static final int TRANSACTION_TIMEOUT_MS = 120_000;

  private DemoConfig() {}

  /**
   * @param endpoints where Kafka and the registry listen
   * @param model the model file
   * @param stateDir Kafka Streams state directory for this run
   */
  public static StrataConfig of(LocalInfra.Endpoints endpoints, Path model, Path stateDir) {
    requireNonNull(endpoints, "endpoints");
    requireNonNull(model, "model");
    requireNonNull(stateDir, "stateDir");
    Map<String, Object> p = new HashMap<>();
    p.put(StrataConfig.BOOTSTRAP_SERVERS, endpoints.bootstrapServers());
    p.put(StrataConfig.SCHEMA_REGISTRY_URL, endpoints.schemaRegistryUrl());
    p.put(StrataConfig.APPLICATION_ID, APPLICATION_ID);
    p.put(StrataConfig.TOPIC_INPUT, INPUT_TOPIC);
    p.put(StrataConfig.TOPIC_OUTPUT, OUTPUT_TOPIC);
    p.put(StrataConfig.TOPIC_DEAD_LETTER, DEAD_LETTER_TOPIC);
    p.put(StrataConfig.TOPIC_FEEDBACK, FEEDBACK_TOPIC);
    p.put(StrataConfig.TOPIC_HEADS, HEADS_TOPIC);
    p.put(StrataConfig.BATCH_MAX_RECORDS, BATCH_MAX_RECORDS);
    p.put(StrataConfig.BATCH_MAX_WAIT_MS, 50L);
    p.put(StrataConfig.MODEL_PATH, model.toString());
    p.put(StrataConfig.STREAMS_PREFIX + StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    p.put(
        StrataConfig.STREAMS_PREFIX
            + StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
        TRANSACTION_TIMEOUT_MS);
    // The topology has no global stores; this only silences Kafka 4.x's start-up warning.
    p.put(
        StrataConfig.STREAMS_PREFIX
            + StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
        true);
    return new StrataConfig(p);
  }
}
