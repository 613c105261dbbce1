package dev.strata.schemas.serde;

/** Constants and subject naming of the Confluent wire format. */
final class WireFormat {
  static final byte MAGIC_BYTE = 0x0;

  /** Magic byte plus the 4-byte schema id. */
  static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Confluent's TopicNameStrategy. */
  static String subject(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
