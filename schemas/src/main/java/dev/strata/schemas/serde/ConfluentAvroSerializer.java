package dev.strata.schemas.serde;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.registry.RegisteredSchema;
import dev.strata.schemas.registry.SchemaRegistryClient;
import dev.strata.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format: {@code 0x00}, the schema id (4 bytes,
 * big-endian), the Avro binary encoding. The schema is registered under {@code <topic>-value} (or
 * {@code -key}) on first use and its id cached; later records of the same schema cause no registry
 * request. {@code null} serializes to {@code null} (a tombstone).
 *
 * <p>Configure with {@link #configure(Map, boolean)} ({@code schema.registry.url} and the keys of
 * {@link ConfluentAvroSerdeConfig}), or construct with a client: it then writes values with
 * auto-registration until configured otherwise.
 *
 * @param <T> the generated record class
 */
public final class ConfluentAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
  private volatile SchemaRegistryClient client;
  private volatile boolean isKey;
  private volatile boolean autoRegister = true;
  private volatile boolean useLatestVersion;
  private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
  private final Map<Schema, DatumWriter<Object>> genericWriters = new ConcurrentHashMap<>();
  private final Map<String, LatestTarget> latestBySubject = new ConcurrentHashMap<>();

  /** For instantiation by Kafka from a class name; {@link #configure} must be called. */
  public ConfluentAvroSerializer() {}

  /** With a shared client; {@link #configure} is optional (defaults: value, auto-register). */
  public ConfluentAvroSerializer(SchemaRegistryClient client) {
    this.client = requireNonNull(client, "client");
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    requireNonNull(configs, "configs");
    ConfluentAvroSerdeConfig config = new ConfluentAvroSerdeConfig(configs);
    configure(config, isKey, client != null ? client : config.createClient());
  }

  void configure(ConfluentAvroSerdeConfig config, boolean isKey, SchemaRegistryClient client) {
    this.isKey = isKey;
    this.autoRegister = config.autoRegisterSchemas();
    this.useLatestVersion = config.useLatestVersion();
    this.client = requireNonNull(client, "client");
    latestBySubject.clear();
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    SchemaRegistryClient registry = client;
    if (registry == null) {
      throw new IllegalStateException(
          "ConfluentAvroSerializer is not configured: call configure(props, isKey) with "
              + "schema.registry.url, or construct it with a SchemaRegistryClient");
    }
    if (topic == null) {
      throw new SerializationException(
          "Cannot serialize "
              + data.getClass().getName()
              + " without a topic: the subject is"
              + " derived from the topic name (<topic>-value / <topic>-key)");
    }
    String subject = WireFormat.subject(topic, isKey);
    Schema schema = data.getSchema();
    try {
      if (useLatestVersion) {
        return serializeAsLatest(registry, topic, subject, schema, data);
      }
      int id = autoRegister ? registry.register(subject, schema) : registry.idOf(subject, schema);
      return frame(id, writerFor(schema, data), data, topic, subject);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot serialize "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "' (subject '"
              + subject
              + "', "
              + (useLatestVersion
                  ? "use.latest.version=true"
                  : autoRegister ? "auto.register.schemas=true" : "auto.register.schemas=false")
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /** Writer schema, id and (when it differs from the record's schema) converters for a subject. */
  private record LatestTarget(
      Schema recordSchema, RegisteredSchema latest, GenericDatumReader<Object> converter) {}

  private byte[] serializeAsLatest(
      SchemaRegistryClient registry, String topic, String subject, Schema schema, T data) {
    LatestTarget target = latestBySubject.get(subject);
    if (target == null || !target.recordSchema().equals(schema)) {
      RegisteredSchema latest = registry.latest(subject);
      GenericDatumReader<Object> converter = null;
      if (!latest.schema().equals(schema)) {
        SchemaCompatibility.SchemaPairCompatibility compat =
            SchemaCompatibility.checkReaderWriterCompatibility(latest.schema(), schema);
        if (compat.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
          throw new SerializationException(
              "Schema incompatibility: records of "
                  + schema.getFullName()
                  + " cannot be written as the latest version "
                  + latest.version()
                  + " (id "
                  + latest.id()
                  + ") of subject '"
                  + subject
                  + "' for topic '"
                  + topic
                  + "': "
                  + describe(compat)
                  + ". Regenerate the classes from the latest schema, or set use.latest.version"
                  + "=false to write with the record's own schema.");
        }
        converter = new GenericDatumReader<>(schema, latest.schema());
      }
      target = new LatestTarget(schema, latest, converter);
      latestBySubject.put(subject, target);
    }
    if (target.converter() == null) {
      return frame(target.latest().id(), writerFor(schema, data), data, topic, subject);
    }
    // Re-encode: record schema -> Avro binary -> resolved into the latest schema -> binary.
    byte[] own = encode(writerFor(schema, data), data, topic, subject);
    Object converted;
    try {
      converted = target.converter().read(null, DecoderFactory.get().binaryDecoder(own, null));
    } catch (IOException | RuntimeException e) {
      throw new SerializationException(
          "Cannot convert "
              + schema.getFullName()
              + " to the latest schema (id "
              + target.latest().id()
              + ") of subject '"
              + subject
              + "': "
              + e,
          e);
    }
    DatumWriter<Object> latestWriter =
        genericWriters.computeIfAbsent(target.latest().schema(), s -> new GenericDatumWriter<>(s));
    return frame(target.latest().id(), latestWriter, converted, topic, subject);
  }

  @SuppressWarnings("unchecked")
  private DatumWriter<Object> writerFor(Schema schema, T data) {
    return writers.computeIfAbsent(
        schema,
        s ->
            (DatumWriter<Object>)
                (DatumWriter<?>)
                    new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass())));
  }

  private static byte[] frame(
      int id, DatumWriter<Object> writer, Object datum, String topic, String subject) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    out.write(WireFormat.MAGIC_BYTE);
    out.write(id >>> 24);
    out.write(id >>> 16);
    out.write(id >>> 8);
    out.write(id);
    writeTo(out, writer, datum, topic, subject);
    return out.toByteArray();
  }

  private static byte[] encode(
      DatumWriter<Object> writer, Object datum, String topic, String subject) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    writeTo(out, writer, datum, topic, subject);
    return out.toByteArray();
  }

  private static void writeTo(
      ByteArrayOutputStream out,
      DatumWriter<Object> writer,
      Object datum,
      String topic,
      String subject) {
    try {
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(datum, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
      throw new SerializationException(
          "Cannot encode a "
              + datum.getClass().getName()
              + " for topic '"
              + topic
              + "' (subject '"
              + subject
              + "'): "
              + e
              + ". A required field is probably null or holds a value of the wrong type; build"
              + " records with the generated newBuilder(), which checks required fields.",
          e);
    }
  }

  static String describe(SchemaCompatibility.SchemaPairCompatibility compat) {
    StringBuilder s = new StringBuilder();
    for (SchemaCompatibility.Incompatibility i : compat.getResult().getIncompatibilities()) {
      if (s.length() > 0) {
        s.append("; ");
      }
      s.append(i.getType())
          .append(" at ")
          .append(i.getLocation())
          .append(": ")
          .append(i.getMessage());
    }
    return s.toString();
  }

  @Override
  public void close() {
    // The HTTP client holds no resources that need closing on Java 17.
  }
}
