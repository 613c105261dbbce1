package dev.strata.model.weights;

/**
 * IEEE 754 binary16 ("half") conversions, for Java 17 which lacks {@code Float.floatToFloat16}.
 * {@link #fromFloat} rounds to nearest, ties to even, as hardware and PyTorch do: overflow gives
 * infinity, tiny values become subnormals or signed zero, NaN stays NaN. {@link #toFloat} is exact.
 */
public final class HalfFloats {
  /** Largest finite half, 65504. */
  public static final float MAX = 65504f;

  private HalfFloats() {}

  /** The half nearest to {@code f} (ties to even), as its 16 bits. */
  public static short fromFloat(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      // infinity keeps a zero mantissa; NaN keeps its top payload bits and stays quiet
      return (short) (sign | 0x7c00 | (mant == 0 ? 0 : 0x200 | (mant >>> 13)));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign; // below half the smallest subnormal: rounds to zero
      }
      // subnormal: value = full * 2^(e - 1 - 23 - (-24)), i.e. the half mantissa is full >> shift
      int full = mant | 0x800000;
      int shift = 14 - e;
      int half = full >>> shift;
      int rem = full & ((1 << shift) - 1);
      int mid = 1 << (shift - 1);
      if (rem > mid || (rem == mid && (half & 1) != 0)) {
        half++; // may carry into the smallest normal, which is the right encoding
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++; // a carry into the exponent is correct, up to infinity
    }
    return (short) (sign | half);
  }

  /** The exact float value of a half. */
  public static float toFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }
}
