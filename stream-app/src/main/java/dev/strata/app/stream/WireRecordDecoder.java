package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.registry.SchemaRegistryException;
import dev.strata.schemas.serde.WireFormat;
import java.util.Optional;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes record values written by a schema-registry Avro serializer (Confluent wire format) and
 * tells the record's fault from the registry's: a null value, bytes that are not wire format, an
 * unknown schema id or undecodable Avro come back as a dead-letter reason with a detail; a registry
 * outage is thrown instead, because dead-lettering while the registry is down would send every good
 * record to the dead-letter topic although no record is at fault. Used for the text and the
 * feedback topics.
 *
 * @param <T> the Avro record type
 */
public final class WireRecordDecoder<T> {
  private final Deserializer<T> deserializer;
  private final String notWireFormatHint;

  /**
   * @param deserializer the registry-backed Avro deserializer of the topic's values
   * @param notWireFormatHint appended to the detail of {@link DeadLetterReason#NOT_WIRE_FORMAT}
   *     (what the producer should send instead), or empty
   */
  public WireRecordDecoder(Deserializer<T> deserializer, String notWireFormatHint) {
    this.deserializer = requireNonNull(deserializer, "deserializer");
    this.notWireFormatHint = requireNonNull(notWireFormatHint, "notWireFormatHint");
  }

  /**
   * A decoded value, or why the record goes to the dead-letter topic.
   *
   * @param value the record, {@code null} when rejected
   * @param reason why it was rejected, {@code null} when decoded
   * @param detail what was wrong, for the dead-letter headers, {@code null} when decoded
   */
  public record Decoded<T>(T value, DeadLetterReason reason, String detail) {
    public Decoded {
      if ((value == null) == (reason == null) || (reason == null) != (detail == null)) {
        throw new IllegalArgumentException(
            "a decoded value has either a value, or a reason and a detail");
      }
    }

    static <T> Decoded<T> of(T value) {
      return new Decoded<>(value, null, null);
    }

    static <T> Decoded<T> rejected(DeadLetterReason reason, String detail) {
      return new Decoded<>(null, reason, detail);
    }

    /** Whether the record could not be decoded. */
    public boolean isRejected() {
      return reason != null;
    }
  }

  /**
   * Decodes one record value.
   *
   * @throws TransientStreamsException when the registry failed (unreachable, or an error other than
   *     "schema not found"): the stream thread is replaced and resumes from the last commit
   */
  public Decoded<T> decode(SourcePosition source, byte[] value) {
    requireNonNull(source, "source");
    if (value == null) {
      return Decoded.rejected(DeadLetterReason.NULL_VALUE, "the record value is null");
    }
    Optional<String> notWireFormat = WireFormat.headerProblem(value);
    if (notWireFormat.isPresent()) {
      return Decoded.rejected(
          DeadLetterReason.NOT_WIRE_FORMAT,
          notWireFormat.get() + (notWireFormatHint.isEmpty() ? "" : ": " + notWireFormatHint));
    }
    T decoded;
    try {
      decoded = deserializer.deserialize(source.topic(), value);
    } catch (SerializationException e) {
      SchemaRegistryException registry = registryCause(e);
      if (registry == null) {
        return Decoded.rejected(DeadLetterReason.UNDECODABLE, DeadLetters.describe(e));
      }
      if (isNotFound(registry)) {
        return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA_ID, DeadLetters.describe(e));
      }
      throw new TransientStreamsException(
          "Schema registry failure while decoding "
              + source
              + " (not the record's fault, so it is not dead-lettered): "
              + e.getMessage()
              + ". Check that the registry at schema.registry.url is reachable; the stream thread"
              + " is replaced and resumes from the last commit.",
          e);
    }
    if (decoded == null) {
      return Decoded.rejected(
          DeadLetterReason.UNDECODABLE, "the deserializer returned no record for a non-null value");
    }
    return Decoded.of(decoded);
  }

  /** The registry exception behind {@code e}, or {@code null} when the data itself was bad. */
  static SchemaRegistryException registryCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException s) {
        return s;
      }
    }
    return null;
  }

  /** Whether the registry answered "schema not found" (the record names an unknown id). */
  static boolean isNotFound(SchemaRegistryException e) {
    return e.errorCode().orElse(-1) == SchemaRegistryException.SCHEMA_NOT_FOUND
        || e.httpStatus().orElse(-1) == 404;
  }
}
