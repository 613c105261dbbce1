package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.registry.SchemaRegistryException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.StreamsException;

/**
 * Serializes annotated records for the output topic inside the batcher rather than at the sink, so
 * that a record too large for the producer is known before it is forwarded (the sink then writes
 * the bytes as they are). An annotated record carries its text and every entity, so a long text
 * dense with entities can outgrow {@code max.request.size} although its input record fit.
 */
final class OutputEncoder {
  private final Serializer<AnnotatedRecord> serializer;
  private final String topic;
  private final RecordSizeLimit limit;

  OutputEncoder(Serializer<AnnotatedRecord> serializer, String topic, RecordSizeLimit limit) {
    this.serializer = requireNonNull(serializer, "serializer");
    this.topic = requireNonNull(topic, "topic");
    this.limit = requireNonNull(limit, "limit");
  }

  /**
   * The value as the output topic's serializer writes it (it may add {@code headers}).
   *
   * @throws TransientStreamsException when the schema registry failed: the stream thread is
   *     replaced and the open batch is annotated again from the store
   * @throws StreamsException when the record cannot be serialized for another reason, saying what
   *     to check
   */
  byte[] encode(AnnotatedRecord value, Headers headers, SourcePosition source) {
    try {
      return serializer.serialize(topic, headers, value);
    } catch (SerializationException e) {
      SchemaRegistryException registry = WireRecordDecoder.registryCause(e);
      if (registry != null && isTransient(registry.httpStatus().orElse(-1))) {
        throw new TransientStreamsException(
            "Schema registry failure while writing the output of "
                + source
                + " (the stream thread is replaced and the open batch is annotated again): "
                + e.getMessage(),
            e);
      }
      throw new StreamsException(
          "Cannot serialize the output of "
              + source
              + " for topic "
              + topic
              + ": "
              + e.getMessage()
              + (registry != null
                  ? ". The registry refused: check the topic's AnnotatedRecord subject (it must"
                      + " exist unless auto.register.schemas is true, and its latest schema must"
                      + " be writable from this version's AnnotatedRecord) and the registry"
                      + " credentials. The batch is re-processed after a restart."
                  : ". This is a bug in Strata; please report it with this message. The batch is"
                      + " re-processed after a restart."),
          e);
    }
  }

  /**
   * Whether the registry may answer later: it could not be reached, timed out, was overloaded or
   * failed itself. A refusal (incompatible or invalid schema, missing subject, no permission) needs
   * the operator, so it stops the application instead of replacing the thread forever.
   *
   * @param httpStatus the registry's HTTP status, negative when there was no answer
   */
  static boolean isTransient(int httpStatus) {
    return httpStatus < 0 || httpStatus >= 500 || httpStatus == 408 || httpStatus == 429;
  }

  /** Whether a record of {@code key}, {@code value} and {@code headers} can be written. */
  boolean fits(byte[] key, byte[] value, Headers headers) {
    return limit.fits(key, value.length, headers);
  }

  /** Why a record does not fit, and what to change. */
  String tooLarge(String id, int chars, int entities, byte[] key, byte[] value, Headers headers) {
    return ("the annotated record of text id '%s' (%d chars, %d entities) is %d bytes with its key"
            + " and headers, over the producer's max.request.size of %d; raise"
            + " streams.producer.max.request.size and the output topic's max.message.bytes, or"
            + " lower text.max.chars / text.max.tokens")
        .formatted(
            id, chars, entities, limit.sizeOf(key, value.length, headers), limit.maxRequestSize());
  }
}
