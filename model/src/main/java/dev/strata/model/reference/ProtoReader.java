package dev.strata.model.reference;

import java.nio.charset.StandardCharsets;

/**
 * A minimal protobuf wire-format reader over a byte range: enough to walk an ONNX model's graph
 * without the protobuf library. Length-delimited fields are not copied; nested messages are read
 * with a new reader over the same array.
 */
final class ProtoReader {

  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final byte[] bytes;
  private int position;
  private final int end;
  private int tag;
  private int valueStart;
  private int valueLength;

  ProtoReader(byte[] bytes, int start, int end) {
    if (start < 0 || end > bytes.length || start > end) {
      throw new IllegalArgumentException("bad range " + start + ".." + end);
    }
    this.bytes = bytes;
    this.position = start;
    this.end = end;
  }

  ProtoReader(byte[] bytes) {
    this(bytes, 0, bytes.length);
  }

  /** Moves to the next field; false at the end of the range. */
  boolean next() {
    if (position >= end) {
      return false;
    }
    tag = (int) readVarint();
    switch (wireType()) {
      case VARINT -> {
        valueStart = position;
        readVarint();
        valueLength = position - valueStart;
      }
      case FIXED64 -> skipFixed(8);
      case LENGTH_DELIMITED -> {
        long length = readVarint();
        if (length < 0 || length > end - position) {
          throw malformed("field " + field() + " claims " + length + " bytes");
        }
        valueStart = position;
        valueLength = (int) length;
        position += valueLength;
      }
      case FIXED32 -> skipFixed(4);
      default -> throw malformed("unsupported wire type " + wireType() + " in field " + field());
    }
    return true;
  }

  int field() {
    return tag >>> 3;
  }

  int wireType() {
    return tag & 7;
  }

  /** The current length-delimited field as a nested message. */
  ProtoReader message() {
    requireLengthDelimited();
    return new ProtoReader(bytes, valueStart, valueStart + valueLength);
  }

  /** The current length-delimited field as UTF-8 text. */
  String string() {
    requireLengthDelimited();
    return new String(bytes, valueStart, valueLength, StandardCharsets.UTF_8);
  }

  private void requireLengthDelimited() {
    if (wireType() != LENGTH_DELIMITED) {
      throw malformed("field " + field() + " is not length-delimited");
    }
  }

  private void skipFixed(int size) {
    if (end - position < size) {
      throw malformed("truncated fixed-width field " + field());
    }
    valueStart = position;
    valueLength = size;
    position += size;
  }

  private long readVarint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position >= end) {
        throw malformed("truncated varint");
      }
      byte b = bytes[position++];
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return value;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  private IllegalArgumentException malformed(String detail) {
    return new IllegalArgumentException(
        "not a valid protobuf message at byte " + position + ": " + detail);
  }
}
