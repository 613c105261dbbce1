package dev.strata.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal reader of the protobuf wire format over a {@link ByteBuffer}: just enough to walk ONNX
 * models and TensorFlow bundle entries without generated classes. Errors are {@link
 * IllegalStateException}s that callers wrap into {@link WeightFileException}s naming the file.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private final ByteBuffer buf;

  /** Reads from the buffer's position to its limit; the buffer is not modified. */
  ProtoReader(ByteBuffer buf) {
    this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
  }

  boolean hasRemaining() {
    return buf.hasRemaining();
  }

  /** Position relative to the start of this reader's buffer. */
  int position() {
    return buf.position();
  }

  /** The next field tag ({@code field << 3 | wireType}). */
  int readTag() {
    long tag = readVarint();
    if (tag <= 0 || tag > Integer.MAX_VALUE) {
      throw new IllegalStateException("invalid protobuf tag " + tag + " at byte " + position());
    }
    return (int) tag;
  }

  static int field(int tag) {
    return tag >>> 3;
  }

  static int wireType(int tag) {
    return tag & 7;
  }

  long readVarint() {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!buf.hasRemaining()) {
        throw new IllegalStateException("truncated varint at byte " + position());
      }
      byte b = buf.get();
      result |= (long) (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new IllegalStateException("varint longer than 10 bytes at byte " + position());
  }

  int readFixed32() {
    need(4);
    return buf.getInt();
  }

  long readFixed64() {
    need(8);
    return buf.getLong();
  }

  /** A length-delimited field as a little-endian view (no copy). */
  ByteBuffer readBytes() {
    long len = readVarint();
    if (len < 0 || len > buf.remaining()) {
      throw new IllegalStateException(
          "length " + len + " at byte " + position() + " runs past the end of the message");
    }
    ByteBuffer out = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    out.limit((int) len);
    buf.position(buf.position() + (int) len);
    return out;
  }

  String readString() {
    ByteBuffer b = readBytes();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** A length-delimited field as a nested reader. */
  ProtoReader readMessage() {
    return new ProtoReader(readBytes());
  }

  /** Skips {@code n} raw bytes. */
  void skipRaw(int n) {
    need(n);
    buf.position(buf.position() + n);
  }

  /** Skips the value of a field with this tag. */
  void skip(int tag) {
    switch (wireType(tag)) {
      case VARINT -> readVarint();
      case FIXED64 -> readFixed64();
      case LENGTH_DELIMITED -> readBytes();
      case FIXED32 -> readFixed32();
      default ->
          throw new IllegalStateException(
              "unsupported protobuf wire type " + wireType(tag) + " at byte " + position());
    }
  }

  private void need(int n) {
    if (buf.remaining() < n) {
      throw new IllegalStateException("truncated message at byte " + position());
    }
  }
}
