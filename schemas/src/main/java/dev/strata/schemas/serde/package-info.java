/**
 * Kafka serializer, deserializer and serde for generated Avro classes in the Confluent wire format:
 * magic byte {@code 0x00}, the 4-byte big-endian schema id, then the Avro binary encoding. Subjects
 * follow Confluent's TopicNameStrategy ({@code <topic>-value}, {@code <topic>-key}).
 *
 * <p>These are plain Kafka {@code Serializer}/{@code Deserializer}/{@code Serde} classes configured
 * with Confluent's key names ({@code schema.registry.url}, {@code auto.register.schemas}, {@code
 * use.latest.version}, {@code specific.avro.reader}), so a deployment that can use Confluent's
 * {@code KafkaAvroSerde} can swap it in by configuration.
 */
package dev.strata.schemas.serde;
