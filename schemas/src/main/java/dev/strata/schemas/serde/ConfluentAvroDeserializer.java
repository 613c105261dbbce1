package dev.strata.schemas.serde;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.registry.SchemaRegistryClient;
import dev.strata.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format records into generated Avro classes. The writer schema is fetched by
 * the id in the record's header (cached) and resolved against the reader schema, the generated
 * class's, so records written with an older compatible schema decode into the current class (new
 * fields take their defaults). {@code null} deserializes to {@code null}.
 *
 * <p>The reader class is the constructor's {@code type}, else {@code specific.avro.value.type} /
 * {@code specific.avro.key.type}, else the generated class named by the writer schema.
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
  private volatile SchemaRegistryClient client;
  private volatile Class<? extends SpecificRecord> type;
  private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

  /** For instantiation by Kafka from a class name; {@link #configure} must be called. */
  public ConfluentAvroDeserializer() {}

  /** Reads as {@code type}; {@link #configure} must be called. */
  public ConfluentAvroDeserializer(Class<T> type) {
    this.type = requireNonNull(type, "type");
  }

  /** Reads as {@code type} through a shared client; {@link #configure} is optional. */
  public ConfluentAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
    this.type = requireNonNull(type, "type");
    this.client = requireNonNull(client, "client");
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    requireNonNull(configs, "configs");
    ConfluentAvroSerdeConfig config = new ConfluentAvroSerdeConfig(configs);
    configure(config, isKey, client != null ? client : config.createClient());
  }

  void configure(ConfluentAvroSerdeConfig config, boolean isKey, SchemaRegistryClient client) {
    Class<?> configured = config.specificType(isKey);
    if (type == null && configured != null) {
      if (!SpecificRecord.class.isAssignableFrom(configured)) {
        throw new org.apache.kafka.common.config.ConfigException(
            isKey
                ? ConfluentAvroSerdeConfig.SPECIFIC_AVRO_KEY_TYPE
                : ConfluentAvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE,
            configured.getName(),
            "not a generated Avro class (it does not implement SpecificRecord)");
      }
      type = configured.asSubclass(SpecificRecord.class);
    }
    this.client = requireNonNull(client, "client");
    readers.clear();
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "ConfluentAvroDeserializer is not configured: call configure(props, isKey) with "
              + "schema.registry.url, or construct it with a SchemaRegistryClient");
    }
    Optional<String> notWireFormat = WireFormat.headerProblem(data);
    if (notWireFormat.isPresent()) {
      throw new SerializationException(
          "Record on topic '"
              + topic
              + "' is not Confluent wire format: "
              + notWireFormat.get()
              + ". Check the producer's value.serializer / key.serializer.");
    }
    int id =
        ((data[1] & 0xff) << 24)
            | ((data[2] & 0xff) << 16)
            | ((data[3] & 0xff) << 8)
            | (data[4] & 0xff);
    SpecificDatumReader<T> reader = readers.get(id);
    if (reader == null) {
      reader = createReader(registry, topic, id);
      readers.put(id, reader);
    }
    BinaryDecoder decoder =
        DecoderFactory.get()
            .binaryDecoder(
                data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
    T result;
    try {
      result = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new IOException("bytes are left over after the record");
      }
    } catch (IOException
        | AvroRuntimeException
        | IndexOutOfBoundsException
        | NegativeArraySizeException e) {
      throw new SerializationException(
          "Truncated or corrupt Avro data on topic '"
              + topic
              + "' for schema id "
              + id
              + " ("
              + reader.getSchema().getFullName()
              + "): "
              + (data.length - WireFormat.HEADER_SIZE)
              + " bytes after the header could not be decoded with that schema: "
              + e
              + ". The record was cut short, or written with a different schema than its id"
              + " says (e.g. ids reused after an in-memory registry restarted).",
          e);
    }
    return result;
  }

  private SpecificDatumReader<T> createReader(SchemaRegistryClient registry, String topic, int id) {
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot decode a record on topic '"
              + topic
              + "': schema id "
              + id
              + " could not be fetched from "
              + e.url()
              + ": "
              + e.getMessage(),
          e);
    }
    Class<? extends SpecificRecord> readerClass = type;
    if (readerClass == null) {
      Class<?> named = SpecificData.get().getClass(writer);
      if (named == null || !SpecificRecord.class.isAssignableFrom(named)) {
        throw new SerializationException(
            "No generated class "
                + writer.getFullName()
                + " on the classpath for schema id "
                + id
                + " on topic '"
                + topic
                + "'; set "
                + ConfluentAvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE
                + " (or -key-) to the class to read it as");
      }
      readerClass = named.asSubclass(SpecificRecord.class);
    }
    SpecificData model = SpecificData.getForClass(readerClass);
    Schema readerSchema = model.getSchema(readerClass);
    SchemaCompatibility.SchemaPairCompatibility compat =
        SchemaCompatibility.checkReaderWriterCompatibility(readerSchema, writer);
    if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "Schema incompatibility on topic '"
              + topic
              + "': "
              + readerClass.getName()
              + " cannot read records written with schema id "
              + id
              + " ("
              + writer.getFullName()
              + "): "
              + ConfluentAvroSerializer.describe(compat)
              + ". Read the topic with the class its producer writes, or evolve the schema"
              + " compatibly (new fields need defaults).");
    }
    return new SpecificDatumReader<>(writer, readerSchema, model);
  }

  @Override
  public void close() {
    // Nothing to release.
  }
}
