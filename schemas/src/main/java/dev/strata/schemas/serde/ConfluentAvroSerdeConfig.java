package dev.strata.schemas.serde;

import dev.strata.schemas.registry.SchemaRegistryClient;
import dev.strata.schemas.registry.SchemaRegistryClientConfig;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings under Confluent's key names. The registry connection keys ({@code
 * schema.registry.url}, {@code basic.auth.*}, {@code schema.registry.ssl.*}) are those of {@link
 * SchemaRegistryClientConfig}.
 */
public final class ConfluentAvroSerdeConfig extends AbstractConfig {
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String SPECIFIC_AVRO_KEY_TYPE = "specific.avro.key.type";
  public static final String SPECIFIC_AVRO_VALUE_TYPE = "specific.avro.value.type";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** The only subject naming implemented: {@code <topic>-key} / {@code <topic>-value}. */
  public static final String TOPIC_NAME_STRATEGY =
      "io.confluent.kafka.serializers.subject.TopicNameStrategy";

  private static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              AUTO_REGISTER_SCHEMAS,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Serializer: register the record's schema under the subject when it is not there"
                  + " yet. With false the schema must already be registered (lookup only).")
          .define(
              USE_LATEST_VERSION,
              Type.BOOLEAN,
              false,
              Importance.LOW,
              "Serializer: write with the subject's latest registered schema instead of the"
                  + " record's own (the record is converted; fails if the latest schema cannot"
                  + " read the record's). Takes precedence over auto.register.schemas.")
          .define(
              SPECIFIC_AVRO_READER,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Deserializer: produce generated SpecificRecord classes. Must be true here (the"
                  + " default, unlike Confluent's); set it explicitly to keep the same properties"
                  + " valid for Confluent's KafkaAvroDeserializer.")
          .define(
              SPECIFIC_AVRO_KEY_TYPE,
              Type.CLASS,
              null,
              Importance.LOW,
              "Deserializer: generated class to read keys as; unset = the class named by the"
                  + " writer schema.")
          .define(
              SPECIFIC_AVRO_VALUE_TYPE,
              Type.CLASS,
              null,
              Importance.LOW,
              "Deserializer: generated class to read values as; unset = the class named by the"
                  + " writer schema.")
          .define(
              KEY_SUBJECT_NAME_STRATEGY,
              Type.STRING,
              TOPIC_NAME_STRATEGY,
              topicNameStrategyOnly(),
              Importance.LOW,
              "Subject naming for keys; only TopicNameStrategy (<topic>-key) is implemented.")
          .define(
              VALUE_SUBJECT_NAME_STRATEGY,
              Type.STRING,
              TOPIC_NAME_STRATEGY,
              topicNameStrategyOnly(),
              Importance.LOW,
              "Subject naming for values; only TopicNameStrategy (<topic>-value) is implemented.");

  private final Map<String, ?> props;

  /**
   * Parses {@code props}.
   *
   * @throws ConfigException naming the key and the bad value
   */
  public ConfluentAvroSerdeConfig(Map<String, ?> props) {
    super(CONFIG_DEF, props, false);
    this.props = props;
    if (!getBoolean(SPECIFIC_AVRO_READER)) {
      throw new ConfigException(
          SPECIFIC_AVRO_READER,
          false,
          "this deserializer produces generated SpecificRecord classes only; set it to true (or"
              + " use Confluent's KafkaAvroDeserializer for GenericRecord)");
    }
  }

  /** A copy of the serde's own definitions (without the registry keys). */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS);
  }

  public boolean useLatestVersion() {
    return getBoolean(USE_LATEST_VERSION);
  }

  /** The configured reader class for keys or values, or {@code null}. */
  public Class<?> specificType(boolean isKey) {
    return getClass(isKey ? SPECIFIC_AVRO_KEY_TYPE : SPECIFIC_AVRO_VALUE_TYPE);
  }

  /** Builds a registry client from the same properties. */
  public SchemaRegistryClient createClient() {
    return new SchemaRegistryClientConfig(props).createClient();
  }

  private static ConfigDef.Validator topicNameStrategyOnly() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (!(TOPIC_NAME_STRATEGY.equals(value) || "TopicNameStrategy".equals(value))) {
          throw new ConfigException(
              name,
              value,
              "only "
                  + TOPIC_NAME_STRATEGY
                  + " is implemented; use Confluent's serde for other strategies");
        }
      }

      @Override
      public String toString() {
        return TOPIC_NAME_STRATEGY;
      }
    };
  }
}
