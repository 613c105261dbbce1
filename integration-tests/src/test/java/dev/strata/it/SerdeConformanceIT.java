package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.ParsedSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.avro.AvroSchema;
import org.apache.flink.avro.registry.confluent.shaded.io.confluent.kafka.schemaregistry.client.CachedSchemaRegistryClient;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Our {@link ConfluentAvroSerde} against two independent implementations of the same wire format
 * (magic byte 0, 4-byte big-endian schema id, Avro binary), all on the real registry:
 *
 * <ul>
 *   <li>Confluent's own registry client 7.5.3 (relocated inside {@code
 *       flink-sql-avro-confluent-registry}; Confluent's serializer itself is not on Maven Central):
 *       ids, subjects and schemas as Confluent's client sees them, payloads read with plain Avro.
 *   <li>Apicurio's Kafka Avro serde, on Apicurio's native API, set to the Confluent-compatible
 *       framing: {@code Default4ByteIdHandler} with {@code use-id=contentId} (Apicurio 3's ccompat
 *       API hands out content ids as schema ids), payload framing instead of headers.
 * </ul>
 */
@RealInfra.Required
class SerdeConformanceIT {
  private RealInfra infra;
  private ConfluentAvroSerde<TextRecord> ours;
  private CachedSchemaRegistryClient confluent;

  @BeforeEach
  void setUp() {
    infra = RealInfra.get();
    ours = new ConfluentAvroSerde<>(TextRecord.class);
    ours.configure(Map.of("schema.registry.url", infra.schemaRegistryUrl()), false);
    confluent = new CachedSchemaRegistryClient(infra.schemaRegistryUrl(), 100);
  }

  @AfterEach
  void tearDown() throws Exception {
    ours.close();
    confluent.close();
  }

  private static TextRecord sample() {
    return TextRecord.newBuilder()
        .setId("conformance-1")
        .setText("Maria Fernández joined Nordlicht Energie AG in Zürich 🙂")
        .setLanguage("de-CH")
        .setEventTime(Instant.parse("2026-03-01T12:34:56.789Z"))
        .setMetadata(Map.of("source", "strata-it", "n", "1"))
        .build();
  }

  @Test
  void confluentClientReadsWhatOurSerializerWrote() throws Exception {
    String topic = Kafka.unique("it-conf-ours");
    TextRecord record = sample();
    byte[] bytes = ours.serializer().serialize(topic, record);

    ByteBuffer buf = ByteBuffer.wrap(bytes);
    assertThat(buf.get()).as("magic byte").isZero();
    int id = buf.getInt();
    ParsedSchema registered = confluent.getSchemaById(id);
    assertThat(registered.schemaType()).isEqualTo("AVRO");
    Schema writer = new Schema.Parser().parse(registered.canonicalString());
    assertThat(SchemaNormalization.parsingFingerprint64(writer))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(TextRecord.getClassSchema()));
    // The subject our serializer registered under (TopicNameStrategy), as Confluent's client sees
    // it.
    String subject = topic + "-value";
    assertThat(confluent.getAllSubjects()).contains(subject);
    assertThat(confluent.getLatestSchemaMetadata(subject).getId()).isEqualTo(id);
    assertThat(confluent.getId(subject, new AvroSchema(TextRecord.getClassSchema().toString())))
        .isEqualTo(id);

    SpecificDatumReader<TextRecord> reader =
        new SpecificDatumReader<>(writer, TextRecord.getClassSchema());
    TextRecord decoded =
        reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    assertThat(decoded).isEqualTo(record);
  }

  @Test
  void ourDeserializerReadsWhatTheConfluentClientRegisteredAndOthersWrote() throws Exception {
    String topic = Kafka.unique("it-conf-confluent");
    // An older producer's schema: no language and no metadata fields (both have defaults).
    Schema writer =
        new Schema.Parser()
            .parse(
                """
                {"type": "record", "name": "TextRecord", "namespace": "dev.strata.schemas.avro",
                 "fields": [
                   {"name": "id", "type": "string"},
                   {"name": "text", "type": "string"},
                   {"name": "event_time", "type": {"type": "long", "logicalType": "timestamp-millis"}}
                 ]}
                """);
    int id = confluent.register(topic + "-value", new AvroSchema(writer.toString()));

    GenericRecord old = new GenericData.Record(writer);
    old.put("id", "old-1");
    old.put("text", "Reuters reported from Tokyo.");
    old.put("event_time", 1_700_000_000_123L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(writer).write(old, enc);
    enc.flush();

    TextRecord decoded = ours.deserializer().deserialize(topic, out.toByteArray());
    assertThat(decoded.getId()).isEqualTo("old-1");
    assertThat(decoded.getText()).isEqualTo("Reuters reported from Tokyo.");
    assertThat(decoded.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_123L));
    assertThat(decoded.getLanguage()).isNull();
    assertThat(decoded.getMetadata()).isEmpty();
  }

  private Map<String, Object> apicurioConfig() {
    Map<String, Object> c = new HashMap<>();
    c.put(SerdeConfig.REGISTRY_URL, infra.apicurioRegistryUrl());
    c.put(SerdeConfig.ID_HANDLER, Default4ByteIdHandler.class.getName());
    c.put(SerdeConfig.USE_ID, IdOption.contentId.name());
    c.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, TopicIdStrategy.class.getName());
    c.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
    c.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
    c.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
    return c;
  }

  @Test
  void apicurioSerdeReadsWhatOurSerializerWrote() {
    String topic = Kafka.unique("it-apicurio-ours");
    TextRecord record = sample();
    byte[] bytes = ours.serializer().serialize(topic, record);
    try (AvroKafkaDeserializer<TextRecord> apicurio = new AvroKafkaDeserializer<>()) {
      apicurio.configure(apicurioConfig(), false);
      Object decoded = apicurio.deserialize(topic, new RecordHeaders(), bytes);
      assertThat(decoded).isInstanceOf(TextRecord.class).isEqualTo(record);
    }
  }

  @Test
  void ourDeserializerReadsWhatTheApicurioSerdeWrote() throws Exception {
    String topic = Kafka.unique("it-apicurio-theirs");
    TextRecord record = sample();
    // The same schema under two more subjects: new versions (global ids) of the same content, so
    // that a global id can never pass for the content id below.
    ours.serializer().serialize(Kafka.unique("it-apicurio-other"), record);
    ours.serializer().serialize(Kafka.unique("it-apicurio-other"), record);
    byte[] bytes;
    RecordHeaders headers = new RecordHeaders();
    try (AvroKafkaSerializer<TextRecord> apicurio = new AvroKafkaSerializer<>()) {
      apicurio.configure(apicurioConfig(), false);
      bytes = apicurio.serialize(topic, headers, record);
    }
    assertThat(headers.toArray()).as("ids go in the payload, not in headers").isEmpty();
    assertThat(bytes[0]).as("magic byte").isZero();
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

    assertThat(ours.deserializer().deserialize(topic, bytes)).isEqualTo(record);
    // The id Apicurio's serde wrote is the one the Confluent-compatible API serves for the schema.
    Schema viaCcompat = new Schema.Parser().parse(confluent.getSchemaById(id).canonicalString());
    assertThat(SchemaNormalization.parsingFingerprint64(viaCcompat))
        .isEqualTo(SchemaNormalization.parsingFingerprint64(TextRecord.getClassSchema()));
    // And our serializer, registering the same schema under the same subject, gets the same id.
    byte[] ourBytes = ours.serializer().serialize(topic, record);
    assertThat(Arrays.copyOfRange(ourBytes, 0, 5)).isEqualTo(Arrays.copyOfRange(bytes, 0, 5));
    assertThat(ourBytes).isEqualTo(bytes);
  }
}
