package dev.strata.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.registry.FakeSchemaRegistry;
import dev.strata.schemas.registry.SchemaRegistryClient;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfluentAvroSerdeTest {
  private static final String TOPIC = "texts";

  private FakeSchemaRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = FakeSchemaRegistry.start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private Map<String, Object> props() {
    Map<String, Object> props = new HashMap<>();
    props.put("schema.registry.url", registry.url());
    return props;
  }

  private <T extends SpecificRecord> Serde<T> serde(Class<T> type, Map<String, Object> props) {
    Serde<T> serde = new ConfluentAvroSerde<>(type);
    serde.configure(props, false);
    return serde;
  }

  @Test
  void eachSchemaRoundTripsInTheConfluentWireFormat() {
    for (SpecificRecord record : List.of(Samples.text(), Samples.annotated(), Samples.feedback())) {
      @SuppressWarnings("unchecked")
      Class<SpecificRecord> type = (Class<SpecificRecord>) record.getClass();
      Serde<SpecificRecord> serde = serde(type, props());
      String topic = type.getSimpleName().toLowerCase();

      byte[] bytes = serde.serializer().serialize(topic, record);
      SpecificRecord back = serde.deserializer().deserialize(topic, bytes);

      assertThat(back).isEqualTo(record);
      assertThat(bytes[0]).isZero();
      int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
      assertThat(id)
          .isEqualTo(
              SchemaRegistryClient.builder()
                  .addUrl(registry.url())
                  .build()
                  .lookup(topic + "-value", record.getSchema())
                  .id());
    }
  }

  @Test
  void payloadAfterTheHeaderIsPlainAvroBinary() throws Exception {
    Serde<TextRecord> serde = serde(TextRecord.class, props());
    byte[] bytes = serde.serializer().serialize(TOPIC, Samples.text());

    GenericRecord generic =
        new GenericDatumReader<GenericRecord>(TextRecord.getClassSchema())
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

    assertThat(generic.get("id").toString()).isEqualTo("t-1");
    assertThat(generic.get("event_time")).isEqualTo(Samples.T0.toEpochMilli());
  }

  @Test
  void subjectsFollowTopicNameStrategy() {
    Serde<TextRecord> values = serde(TextRecord.class, props());
    Serde<TextRecord> keys = new ConfluentAvroSerde<>(TextRecord.class);
    keys.configure(props(), true);

    values.serializer().serialize(TOPIC, Samples.text());
    keys.serializer().serialize(TOPIC, Samples.text());

    assertThat(registry.requestLines())
        .containsExactly(
            "POST /subjects/texts-value/versions", "POST /subjects/texts-key/versions");
  }

  @Test
  void theRegistryIsAskedOncePerSchemaNotPerRecord() {
    Serde<TextRecord> serde = serde(TextRecord.class, props());
    byte[] bytes = serde.serializer().serialize(TOPIC, Samples.text());
    int afterFirst = registry.requestCount();
    for (int i = 0; i < 10; i++) {
      serde.serializer().serialize(TOPIC, Samples.text());
    }
    assertThat(registry.requestCount()).isEqualTo(afterFirst).isEqualTo(1);

    // A consumer with its own client fetches the writer schema once.
    Deserializer<TextRecord> consumer = new ConfluentAvroDeserializer<>(TextRecord.class);
    consumer.configure(props(), false);
    for (int i = 0; i < 10; i++) {
      assertThat(consumer.deserialize(TOPIC, bytes)).isEqualTo(Samples.text());
    }
    assertThat(registry.requestLines())
        .filteredOn(l -> l.startsWith("GET /schemas/ids/"))
        .hasSize(1);
  }

  @Test
  void nullIsATombstoneBothWays() {
    Serde<TextRecord> serde = serde(TextRecord.class, props());
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(registry.requestCount()).isZero();
  }

  @Test
  void wrongMagicByteIsRejected() {
    Deserializer<TextRecord> deserializer = serde(TextRecord.class, props()).deserializer();
    byte[] json = "{\"id\":\"t-1\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, json))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'texts'")
        .hasMessageContaining(
            "is not Confluent wire format: first byte 0x7b, expected the magic byte 0x00");
  }

  @Test
  void truncatedHeaderAndTruncatedPayloadAreRejected() {
    Serde<TextRecord> serde = serde(TextRecord.class, props());
    byte[] bytes = serde.serializer().serialize(TOPIC, Samples.text());

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'texts' is not Confluent wire format: only 3 bytes")
        .hasMessageContaining("at least 5");
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, cut))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Truncated or corrupt Avro data on topic 'texts'")
        .hasMessageContaining("schema id " + ByteBuffer.wrap(bytes, 1, 4).getInt());
    byte[] padded = Arrays.copyOf(bytes, bytes.length + 3);
    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, padded))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("left over");
  }

  @Test
  void unknownSchemaIdNamesTheIdAndTheUrl() {
    Deserializer<TextRecord> deserializer = serde(TextRecord.class, props()).deserializer();
    byte[] bytes =
        ByteBuffer.allocate(8).put((byte) 0).putInt(4242).put(new byte[] {2, 'x', 0}).array();
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id 4242")
        .hasMessageContaining(registry.url() + "/schemas/ids/4242")
        .hasMessageContaining("40403");
  }

  /** An older TextRecord, before language and metadata existed. */
  static final Schema TEXT_V0 =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"TextRecord\",\"namespace\":\"dev.strata.schemas.avro\","
                  + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                  + "{\"name\":\"text\",\"type\":\"string\"},"
                  + "{\"name\":\"event_time\",\"type\":{\"type\":\"long\","
                  + "\"logicalType\":\"timestamp-millis\"}}]}");

  @Test
  void recordsWrittenWithAnOlderSchemaDecodeIntoTheCurrentClass() throws Exception {
    int oldId = registry.registerDirectly("texts-value", TEXT_V0);
    GenericRecord old = new GenericData.Record(TEXT_V0);
    old.put("id", "t-0");
    old.put("text", "written by an old producer");
    old.put("event_time", Samples.T0.toEpochMilli());
    byte[] bytes = frame(oldId, TEXT_V0, old);

    TextRecord read = serde(TextRecord.class, props()).deserializer().deserialize(TOPIC, bytes);

    assertThat(read.getId()).isEqualTo("t-0");
    assertThat(read.getEventTime()).isEqualTo(Samples.T0);
    assertThat(read.getLanguage()).isNull();
    assertThat(read.getMetadata()).isEmpty();
  }

  @Test
  void anIncompatibleWriterSchemaIsReportedNotMisread() throws Exception {
    Schema clash =
        new Schema.Parser()
            .parse(
                "{\"type\":\"record\",\"name\":\"TextRecord\","
                    + "\"namespace\":\"dev.strata.schemas.avro\","
                    + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}");
    int id = registry.registerDirectly("other-value", clash);
    GenericRecord record = new GenericData.Record(clash);
    record.put("id", 7L);

    Deserializer<TextRecord> deserializer = serde(TextRecord.class, props()).deserializer();
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, frame(id, clash, record)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Schema incompatibility on topic 'texts'")
        .hasMessageContaining("schema id " + id)
        .hasMessageContaining("/fields/");

    // Reading a topic of another record type is the same kind of mistake.
    byte[] annotated =
        serde(AnnotatedRecord.class, props()).serializer().serialize("out", Samples.annotated());
    assertThatThrownBy(() -> deserializer.deserialize("out", annotated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("NAME_MISMATCH");
  }

  @Test
  void withoutAutoRegisterTheSchemaMustAlreadyBeRegistered() {
    Map<String, Object> props = props();
    props.put("auto.register.schemas", false);
    Serializer<TextRecord> serializer = serde(TextRecord.class, props).serializer();

    assertThatThrownBy(() -> serializer.serialize(TOPIC, Samples.text()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("subject 'texts-value'")
        .hasMessageContaining("auto.register.schemas=false")
        .hasMessageContaining("40401");

    int id = registry.registerDirectly("texts-value", TextRecord.getClassSchema());
    byte[] bytes = serializer.serialize(TOPIC, Samples.text());
    serializer.serialize(TOPIC, Samples.text());
    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.requestLines())
        .containsExactly("POST /subjects/texts-value", "POST /subjects/texts-value");
  }

  @Test
  void useLatestVersionWritesWithTheSubjectsNewestSchema() throws Exception {
    Schema v2 =
        new Schema.Parser()
            .parse(
                TextRecord.getClassSchema()
                    .toString()
                    .replaceFirst(
                        "\"fields\":\\[",
                        "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\","
                            + "\"default\":\"default-tenant\"},"));
    registry.registerDirectly("texts-value", TextRecord.getClassSchema());
    int v2Id = registry.registerDirectly("texts-value", v2);
    Map<String, Object> props = props();
    props.put("use.latest.version", true);
    props.put("auto.register.schemas", false);
    Serde<TextRecord> serde = serde(TextRecord.class, props);

    byte[] bytes = serde.serializer().serialize(TOPIC, Samples.text());
    serde.serializer().serialize(TOPIC, Samples.text());

    assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(v2Id);
    GenericRecord asV2 =
        new GenericDatumReader<GenericRecord>(v2)
            .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
    assertThat(asV2.get("tenant").toString()).isEqualTo("default-tenant");
    assertThat(asV2.get("id").toString()).isEqualTo("t-1");
    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(Samples.text());
    assertThat(registry.requestLines()).filteredOn(l -> l.endsWith("/versions/latest")).hasSize(1);
  }

  @Test
  void useLatestVersionRefusesALatestSchemaThatCannotHoldTheRecord() {
    Schema breaking =
        new Schema.Parser()
            .parse(
                TextRecord.getClassSchema()
                    .toString()
                    .replaceFirst(
                        "\"fields\":\\[",
                        "\"fields\":[{\"name\":\"tenant\",\"type\":\"string\"},"));
    registry.registerDirectly("texts-value", breaking);
    Map<String, Object> props = props();
    props.put("use.latest.version", true);
    Serializer<TextRecord> serializer = serde(TextRecord.class, props).serializer();

    assertThatThrownBy(() -> serializer.serialize(TOPIC, Samples.text()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Schema incompatibility")
        .hasMessageContaining("subject 'texts-value'")
        .hasMessageContaining("tenant");
  }

  @Test
  void theReaderClassCanComeFromConfigurationOrTheWriterSchema() {
    byte[] bytes =
        serde(FeedbackRecord.class, props()).serializer().serialize("fb", Samples.feedback());

    Serde<FeedbackRecord> byConfig = new ConfluentAvroSerde<>();
    Map<String, Object> props = props();
    props.put("specific.avro.value.type", FeedbackRecord.class.getName());
    byConfig.configure(props, false);
    assertThat(byConfig.deserializer().deserialize("fb", bytes)).isEqualTo(Samples.feedback());

    Deserializer<FeedbackRecord> byWriterName = new ConfluentAvroDeserializer<>();
    byWriterName.configure(props(), false);
    assertThat(byWriterName.deserialize("fb", bytes)).isEqualTo(Samples.feedback());
  }

  @Test
  void aRequiredFieldLeftNullFailsWithAHint() {
    TextRecord broken = Samples.text();
    broken.setText(null);
    Serializer<TextRecord> serializer = serde(TextRecord.class, props()).serializer();
    assertThatThrownBy(() -> serializer.serialize(TOPIC, broken))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'texts'")
        .hasMessageContaining("newBuilder()");
  }

  @Test
  void anUnreachableRegistryFailsSerializationWithTopicSubjectAndUrl() {
    Map<String, Object> props = props();
    registry.close();
    Serializer<TextRecord> serializer = serde(TextRecord.class, props).serializer();
    assertThatThrownBy(() -> serializer.serialize(TOPIC, Samples.text()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'texts'")
        .hasMessageContaining("subject 'texts-value'")
        .hasMessageContaining(registry.url());
  }

  @Test
  void configurationIsValidated() {
    Map<String, Object> generic = props();
    generic.put("specific.avro.reader", false);
    assertThatThrownBy(() -> new ConfluentAvroSerde<>(TextRecord.class).configure(generic, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("specific.avro.reader");

    Map<String, Object> strategy = props();
    strategy.put(
        "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy");
    assertThatThrownBy(() -> new ConfluentAvroSerde<>(TextRecord.class).configure(strategy, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("value.subject.name.strategy")
        .hasMessageContaining("TopicNameStrategy");

    Map<String, Object> notAvro = props();
    notAvro.put("specific.avro.value.type", String.class.getName());
    assertThatThrownBy(() -> new ConfluentAvroDeserializer<>().configure(notAvro, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SpecificRecord");

    assertThatThrownBy(
            () -> new ConfluentAvroSerializer<TextRecord>().serialize(TOPIC, Samples.text()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("configure");
  }

  @Test
  void aSharedClientNeedsNoConfigure() {
    SchemaRegistryClient client = SchemaRegistryClient.builder().addUrl(registry.url()).build();
    Serde<TextRecord> serde = new ConfluentAvroSerde<>(TextRecord.class, client);
    byte[] bytes = serde.serializer().serialize(TOPIC, Samples.text());
    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(Samples.text());
    // Serializer and deserializer share the client's cache: the id was learnt while registering.
    assertThat(registry.requestCount()).isEqualTo(1);
  }

  private static byte[] frame(int id, Schema schema, GenericRecord record) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }
}
