package dev.strata.model.weights;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/** The element types a safetensors header may name, with their sizes in bytes. */
public enum SafetensorsDType {
  BOOL(1),
  U8(1),
  I8(1),
  F8_E5M2(1),
  F8_E4M3(1),
  I16(2),
  U16(2),
  F16(2),
  BF16(2),
  I32(4),
  U32(4),
  F32(4),
  I64(8),
  U64(8),
  F64(8);

  private final int bytes;

  SafetensorsDType(int bytes) {
    this.bytes = bytes;
  }

  /** Size of one element in bytes. */
  public int bytes() {
    return bytes;
  }

  /** Whether {@link #toFloats} can read this type (F32 without copying, F16/BF16 converted). */
  public boolean readableAsFloat() {
    return this == F32 || this == F16 || this == BF16;
  }

  /** Parses a header dtype, or returns {@code null} if it is unknown. */
  static SafetensorsDType parse(String s) {
    for (SafetensorsDType t : values()) {
      if (t.name().equals(s)) {
        return t;
      }
    }
    return null;
  }

  /**
   * The values of a little-endian region as floats: a zero-copy view for F32, a converted copy for
   * F16 and BF16.
   */
  FloatBuffer toFloats(ByteBuffer le) {
    switch (this) {
      case F32:
        return le.asFloatBuffer();
      case F16:
        {
          int n = le.remaining() / 2;
          float[] out = new float[n];
          for (int i = 0; i < n; i++) {
            out[i] = HalfFloats.toFloat(le.getShort(le.position() + 2 * i));
          }
          return FloatBuffer.wrap(out);
        }
      case BF16:
        {
          int n = le.remaining() / 2;
          float[] out = new float[n];
          for (int i = 0; i < n; i++) {
            out[i] = Float.intBitsToFloat((le.getShort(le.position() + 2 * i) & 0xffff) << 16);
          }
          return FloatBuffer.wrap(out);
        }
      default:
        throw new IllegalStateException(name() + " is not a float type");
    }
  }
}
