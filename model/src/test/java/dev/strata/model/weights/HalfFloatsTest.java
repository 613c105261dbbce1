package dev.strata.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HalfFloatsTest {

  private static int bits(float f) {
    return HalfFloats.fromFloat(f) & 0xffff;
  }

  @Test
  void everyHalfSurvivesARoundTrip() {
    for (int h = 0; h < 0x10000; h++) {
      float f = HalfFloats.toFloat((short) h);
      if (Float.isNaN(f)) {
        assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(f)))).isTrue();
      } else {
        assertThat(bits(f)).as("half 0x%04x = %s", h, f).isEqualTo(h);
      }
    }
  }

  @Test
  void knownValuesAndTiesToEven() {
    assertThat(bits(1f)).isEqualTo(0x3c00);
    assertThat(bits(-2f)).isEqualTo(0xc000);
    assertThat(bits(-0f)).isEqualTo(0x8000);
    assertThat(bits(HalfFloats.MAX)).isEqualTo(0x7bff);
    assertThat(bits(65519f)).isEqualTo(0x7bff); // below the midpoint to 65536
    assertThat(bits(65520f)).isEqualTo(0x7c00); // the midpoint rounds to even: infinity
    assertThat(bits(1e9f)).isEqualTo(0x7c00);
    assertThat(bits(Float.NEGATIVE_INFINITY)).isEqualTo(0xfc00);
    assertThat(Float.isNaN(HalfFloats.toFloat(HalfFloats.fromFloat(Float.NaN)))).isTrue();
    // 1 + 2^-11 lies midway between 1 and 1 + 2^-10: ties to the even mantissa, 1
    assertThat(bits(1f + 0x1p-11f)).isEqualTo(0x3c00);
    // 1 + 3 * 2^-11 lies midway between mantissas 1 and 2: goes to 2
    assertThat(bits(1f + 3 * 0x1p-11f)).isEqualTo(0x3c02);
    // subnormals: 2^-24 is the smallest; 2^-25 is midway to 0 and ties to 0
    assertThat(bits(0x1p-24f)).isEqualTo(0x0001);
    assertThat(bits(0x1p-25f)).isEqualTo(0x0000);
    assertThat(bits(0x1.01p-25f)).isEqualTo(0x0001);
    assertThat(bits(3 * 0x1p-25f)).isEqualTo(0x0002); // 1.5 * 2^-24 ties to even 2
    assertThat(bits(1e-10f)).isEqualTo(0x0000);
    // the largest subnormal rounding up to the smallest normal 2^-14
    assertThat(bits(0x1p-14f - 0x1p-26f)).isEqualTo(0x0400);
    assertThat(HalfFloats.toFloat((short) 0x0400)).isEqualTo(0x1p-14f);
  }

  @Test
  void agreesWithPyTorchOnRandomValues() {
    Random r = new Random(5);
    float[] v = new float[200_000];
    for (int i = 0; i < v.length; i++) {
      int kind = i % 4;
      v[i] =
          switch (kind) {
            case 0 -> (float) r.nextGaussian();
            case 1 -> (float) (r.nextGaussian() * 1e4);
            case 2 -> (float) (r.nextGaussian() * 1e-5);
            default -> Float.intBitsToFloat(r.nextInt());
          };
    }
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        NDArray a = m.create(v);
        NDArray h = a.toType(DataType.FLOAT16, false)) {
      ShortBuffer torch = h.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
      for (int i = 0; i < v.length; i++) {
        short expected = torch.get(i);
        if (Float.isNaN(v[i])) {
          assertThat(Float.isNaN(HalfFloats.toFloat(expected))).isTrue();
          continue;
        }
        assertThat(bits(v[i]))
            .as("value %s (0x%08x)", v[i], Float.floatToRawIntBits(v[i]))
            .isEqualTo(expected & 0xffff);
        assertThat(HalfFloats.toFloat(expected))
            .isEqualTo(HalfFloats.toFloat(HalfFloats.fromFloat(v[i])));
      }
    }
  }
}
