package dev.strata.schemas.serde;

import java.util.Objects;
import java.util.Optional;

/** Constants, header check and subject naming of the Confluent wire format. */
public final class WireFormat {
  /** First byte of every wire-format record. */
  public static final byte MAGIC_BYTE = 0x0;

  /** Magic byte plus the 4-byte schema id. */
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /**
   * Why {@code data} cannot be a wire-format record, for a dead-letter reason or an error message;
   * empty when it starts with the magic byte and holds a whole schema id (the id itself is not
   * checked here).
   */
  public static Optional<String> headerProblem(byte[] data) {
    Objects.requireNonNull(data, "data");
    if (data.length < HEADER_SIZE) {
      return Optional.of(
          "only "
              + data.length
              + " bytes; the Confluent wire format needs at least "
              + HEADER_SIZE
              + " (magic byte 0x00 and a 4-byte schema id)");
    }
    if (data[0] != MAGIC_BYTE) {
      return Optional.of(
          String.format(
              "first byte 0x%02x, expected the magic byte 0x00: the producer did not use a"
                  + " schema-registry Avro serializer",
              data[0] & 0xff));
    }
    return Optional.empty();
  }

  /** Confluent's TopicNameStrategy. */
  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
