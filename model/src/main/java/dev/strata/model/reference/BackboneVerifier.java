package dev.strata.model.reference;

import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.text.SubwordTokenizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the same padded batch through our encoder and a reference runtime and reports, for every
 * hidden state, the largest absolute difference over real (unpadded) tokens.
 */
public final class BackboneVerifier {
  private static final String SENTENCES = "/dev/strata/model/verify-sentences.txt";

  /** Per-layer result: {@code maxAbsDiff[n]} for state n (0 = embeddings). */
  public record Report(String runtime, int sentences, long tokens, double[] maxAbsDiff) {
    /** The largest difference over all layers. */
    public double worst() {
      double w = 0;
      for (double d : maxAbsDiff) {
        w = Math.max(w, d);
      }
      return w;
    }
  }

  private BackboneVerifier() {}

  /** The built-in verification sentences. */
  public static List<String> builtInSentences() {
    try (InputStream in = BackboneVerifier.class.getResourceAsStream(SENTENCES)) {
      if (in == null) {
        throw new IllegalStateException("resource " + SENTENCES + " missing from the jar");
      }
      List<String> out = new ArrayList<>();
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line; (line = r.readLine()) != null; ) {
        if (!line.isBlank() && !line.startsWith("#")) {
          out.add(line.strip());
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compares every state of {@code encoder} with {@code reference} on {@code sentences}, all in one
   * padded batch.
   */
  public static Report compare(
      SubwordTokenizer tokenizer,
      BertEncoder encoder,
      ReferenceEncoder reference,
      List<String> sentences,
      int maxTokens) {
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(encoder, "encoder");
    Objects.requireNonNull(reference, "reference");
    List<Encoding> encs = new ArrayList<>();
    for (String s : sentences) {
      encs.addAll(tokenizer.fit(tokenizer.encode(s), maxTokens, OverflowPolicy.TRUNCATE));
    }
    TokenBatch batch = TokenBatch.of(encs);
    int b = batch.size();
    float[][][][] ref =
        reference.allLayers(ReferenceEncoder.ids(batch), ReferenceEncoder.mask(batch));
    try (HiddenStates ours = encoder.forward(batch)) {
      if (ref.length != ours.count()) {
        throw new IllegalStateException(
            "reference "
                + reference.runtimeName()
                + " returned "
                + ref.length
                + " states, our encoder "
                + ours.count());
      }
      double[] diff = new double[ours.count()];
      for (int n = 0; n < ours.count(); n++) {
        float[][][] got = ours.toArray(n);
        double m = 0;
        for (int i = 0; i < b; i++) {
          for (int j = 0; j < batch.lengths()[i]; j++) {
            float[] x = got[i][j];
            float[] y = ref[n][i][j];
            for (int k = 0; k < x.length; k++) {
              m = Math.max(m, Math.abs((double) x[k] - y[k]));
            }
          }
        }
        diff[n] = m;
      }
      return new Report(reference.runtimeName(), b, batch.realTokens(), diff);
    }
  }
}
