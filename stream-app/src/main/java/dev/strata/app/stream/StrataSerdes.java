package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.registry.SchemaRegistryClient;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import org.apache.kafka.common.serialization.Serde;

/**
 * The value serdes of the input and output topics, ready to use (Kafka Streams does not configure
 * serdes passed in code). Keys and dead letters are raw bytes.
 *
 * @param text input values
 * @param annotated output values
 * @param feedback feedback values
 * @param heads published heads
 */
public record StrataSerdes(
    Serde<TextRecord> text,
    Serde<AnnotatedRecord> annotated,
    Serde<FeedbackRecord> feedback,
    Serde<HeadRecord> heads) {
  public StrataSerdes {
    requireNonNull(text, "text");
    requireNonNull(annotated, "annotated");
    requireNonNull(feedback, "feedback");
    requireNonNull(heads, "heads");
  }

  /** Closes every serde. */
  public void close() {
    text.close();
    annotated.close();
    feedback.close();
    heads.close();
  }

  /** Confluent-format Avro serdes configured from {@link StrataConfig#serdeProperties()}. */
  public static StrataSerdes confluent(StrataConfig config) {
    ConfluentAvroSerde<TextRecord> text = new ConfluentAvroSerde<>(TextRecord.class);
    text.configure(config.serdeProperties(), false);
    ConfluentAvroSerde<AnnotatedRecord> annotated = new ConfluentAvroSerde<>(AnnotatedRecord.class);
    annotated.configure(config.serdeProperties(), false);
    ConfluentAvroSerde<FeedbackRecord> feedback = new ConfluentAvroSerde<>(FeedbackRecord.class);
    feedback.configure(config.serdeProperties(), false);
    ConfluentAvroSerde<HeadRecord> heads = new ConfluentAvroSerde<>(HeadRecord.class);
    heads.configure(config.serdeProperties(), false);
    return new StrataSerdes(text, annotated, feedback, heads);
  }

  /** Confluent-format Avro serdes sharing {@code client}, with auto-registration. */
  public static StrataSerdes confluent(SchemaRegistryClient client) {
    return new StrataSerdes(
        new ConfluentAvroSerde<>(TextRecord.class, client),
        new ConfluentAvroSerde<>(AnnotatedRecord.class, client),
        new ConfluentAvroSerde<>(FeedbackRecord.class, client),
        new ConfluentAvroSerde<>(HeadRecord.class, client));
  }
}
