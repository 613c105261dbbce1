package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TinyBert;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.text.WordPieceTokenizer;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The verifier reports the largest difference per state, over real tokens only. */
class BackboneVerifierTest {
  private static final BertConfig TINY =
      new BertConfig(2, 8, 2, 16, 12, 40, 2, 1e-12f, GeluVariant.ERF, -10000f);

  /** A reference that returns our own states, with one value of one state moved by delta. */
  private static final class Shifted implements ReferenceEncoder {
    private final BertEncoder encoder;
    private final int state;
    private final float delta;

    Shifted(BertEncoder encoder, int state, float delta) {
      this.encoder = encoder;
      this.state = state;
      this.delta = delta;
    }

    @Override
    public String runtimeName() {
      return "shifted";
    }

    @Override
    public int states() {
      return 3;
    }

    @Override
    public float[][][][] allLayers(int[][] ids, int[][] mask) {
      int[][] rows = new int[ids.length][];
      for (int i = 0; i < ids.length; i++) {
        int len = 0;
        while (len < mask[i].length && mask[i][len] == 1) {
          len++;
        }
        rows[i] = java.util.Arrays.copyOf(ids[i], len);
      }
      try (HiddenStates hs = encoder.forward(TokenBatch.of(rows))) {
        float[][][][] out = new float[hs.count()][][][];
        for (int n = 0; n < out.length; n++) {
          out[n] = hs.toArray(n);
        }
        out[state][0][1][3] += delta;
        // Padding positions are garbage in a real reference too: they must not count.
        int last = ids[ids.length - 1].length - 1;
        out[state][ids.length - 1][last][0] += 1000f;
        return out;
      }
    }

    @Override
    public float[][][] lastLayer(int[][] ids, int[][] mask) {
      return allLayers(ids, mask)[2];
    }

    @Override
    public void close() {}
  }

  @Test
  void reportsTheShiftOnTheShiftedStateOnly() throws Exception {
    TinyBert tiny = new TinyBert(TINY, 5);
    String vocab = "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\ncat\nsat\non\nmat\n.\na\nlong\n";
    try (WordPieceTokenizer tok = WordPieceTokenizer.fromVocab(new StringReader(vocab), true);
        BertEncoder enc = BertEncoder.load(TINY, tiny.store, Device.cpu())) {
      List<String> sentences = List.of("The cat sat on the mat.", "A cat.");
      BackboneVerifier.Report r =
          BackboneVerifier.compare(tok, enc, new Shifted(enc, 1, 0.25f), sentences, 40);
      assertThat(r.sentences()).isEqualTo(2);
      assertThat(r.tokens()).isEqualTo(9 + 5);
      assertThat(r.maxAbsDiff()[0]).isZero();
      assertThat(r.maxAbsDiff()[1]).isCloseTo(0.25, within(1e-6));
      assertThat(r.maxAbsDiff()[2]).isZero();
      assertThat(r.worst()).isCloseTo(0.25, within(1e-6));
    }
  }
}
