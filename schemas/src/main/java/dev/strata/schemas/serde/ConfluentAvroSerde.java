package dev.strata.schemas.serde;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * {@link ConfluentAvroSerializer} and {@link ConfluentAvroDeserializer} as one Kafka {@link Serde},
 * sharing one registry client. Kafka Streams does not configure serdes passed in code ({@code
 * Consumed.with}, {@code Produced.with}): call {@link #configure(Map, boolean)} or construct with a
 * client.
 *
 * <pre>{@code
 * Serde<TextRecord> texts = new ConfluentAvroSerde<>(TextRecord.class);
 * texts.configure(Map.of("schema.registry.url", "http://127.0.0.1:8080/apis/ccompat/v7"), false);
 * }</pre>
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroSerde<T extends SpecificRecord> implements Serde<T> {
  private final SchemaRegistryClient injected;
  private final ConfluentAvroSerializer<T> serializer;
  private final ConfluentAvroDeserializer<T> deserializer;

  /** For instantiation by Kafka from a class name; the reader class comes from configuration. */
  public ConfluentAvroSerde() {
    this.injected = null;
    this.serializer = new ConfluentAvroSerializer<>();
    this.deserializer = new ConfluentAvroDeserializer<>();
  }

  /** Reads as {@code type}; {@link #configure} must be called. */
  public ConfluentAvroSerde(Class<T> type) {
    this.injected = null;
    this.serializer = new ConfluentAvroSerializer<>();
    this.deserializer = new ConfluentAvroDeserializer<>(requireNonNull(type, "type"));
  }

  /** Reads as {@code type} through a shared client; {@link #configure} is optional. */
  public ConfluentAvroSerde(Class<T> type, SchemaRegistryClient client) {
    this.injected = requireNonNull(client, "client");
    this.serializer = new ConfluentAvroSerializer<>(client);
    this.deserializer = new ConfluentAvroDeserializer<>(requireNonNull(type, "type"), client);
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    requireNonNull(configs, "configs");
    ConfluentAvroSerdeConfig config = new ConfluentAvroSerdeConfig(configs);
    SchemaRegistryClient client = injected != null ? injected : config.createClient();
    serializer.configure(config, isKey, client);
    deserializer.configure(config, isKey, client);
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }

  @Override
  public void close() {
    serializer.close();
    deserializer.close();
  }
}
