package dev.strata.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import dev.strata.model.weights.WeightFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The NDArray encoder against a plain-Java forward pass on a tiny random BERT. */
class BertEncoderTest {

  private static BertConfig tiny(GeluVariant gelu) {
    return new BertConfig(3, 16, 4, 32, 50, 24, 2, 1e-12f, gelu, -10000f);
  }

  @ParameterizedTest
  @EnumSource(GeluVariant.class)
  void everyLayerMatchesThePlainJavaForwardPass(GeluVariant gelu) {
    TinyBert ref = new TinyBert(tiny(gelu), 7);
    int[] longRow = {2, 17, 5, 33, 8, 41, 3};
    int[] shortRow = {2, 9, 3};
    try (BertEncoder enc = BertEncoder.load(ref.config, ref.store, Device.cpu());
        HiddenStates hs = enc.forward(TokenBatch.of(new int[][] {longRow, shortRow}))) {
      assertThat(hs.count()).isEqualTo(4);
      assertThat(hs.batch().seqLen()).isEqualTo(7);
      for (int row = 0; row < 2; row++) {
        int[] ids = row == 0 ? longRow : shortRow;
        double[][][] expected = ref.forward(ids);
        for (int n = 0; n < hs.count(); n++) {
          float[][][] got = hs.toArray(n);
          for (int i = 0; i < ids.length; i++) {
            for (int j = 0; j < 16; j++) {
              assertThat((double) got[row][i][j])
                  .as("row %d state %d token %d dim %d", row, n, i, j)
                  .isCloseTo(expected[n][i][j], org.assertj.core.data.Offset.offset(1e-4));
            }
          }
        }
      }
    }
  }

  @Test
  void paddingDoesNotChangeRealTokens() {
    TinyBert ref = new TinyBert(tiny(GeluVariant.ERF), 11);
    int[] row = {2, 4, 6, 3};
    try (BertEncoder enc = BertEncoder.load(ref.config, ref.store, Device.cpu());
        HiddenStates alone = enc.forward(TokenBatch.of(new int[][] {row}));
        HiddenStates padded =
            enc.forward(TokenBatch.of(new int[][] {row, {2, 5, 5, 5, 5, 5, 5, 5, 3}}))) {
      float[][][] a = alone.toArray(3);
      float[][][] p = padded.toArray(3);
      for (int i = 0; i < row.length; i++) {
        for (int j = 0; j < 16; j++) {
          assertThat(p[0][i][j]).isCloseTo(a[0][i][j], org.assertj.core.data.Offset.offset(1e-5f));
        }
      }
    }
  }

  @Test
  void tooLongSequenceIsRefusedWithTheLimit() {
    TinyBert ref = new TinyBert(tiny(GeluVariant.ERF), 3);
    try (BertEncoder enc = BertEncoder.load(ref.config, ref.store, Device.cpu())) {
      assertThatThrownBy(() -> enc.forward(TokenBatch.of(new int[][] {new int[30]})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("30 tokens")
          .hasMessageContaining("24 positions");
    }
  }

  @Test
  void missingTensorNamesTheTensor() {
    TinyBert ref = new TinyBert(tiny(GeluVariant.ERF), 3);
    BertConfig deeper = new BertConfig(4, 16, 4, 32, 50, 24, 2, 1e-12f, GeluVariant.ERF, -1e4f);
    assertThatThrownBy(() -> BertEncoder.load(deeper, ref.store, Device.cpu()))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("encoder.layer.3.attention.self.query.weight");
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    TinyBert ref = new TinyBert(tiny(GeluVariant.ERF), 3);
    BertConfig wider = new BertConfig(3, 16, 4, 64, 50, 24, 2, 1e-12f, GeluVariant.ERF, -1e4f);
    assertThatThrownBy(() -> BertEncoder.load(wider, ref.store, Device.cpu()))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("[64, 16]")
        .hasMessageContaining("[32, 16]");
  }
}
