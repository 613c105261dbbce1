package dev.strata.model.encoder;

import dev.strata.model.text.Encoding;
import java.util.List;
import java.util.Objects;

/**
 * A batch of token-id sequences padded to the longest sequence in the batch (never to a fixed
 * length).
 *
 * @param ids row-major {@code [batch, seqLen]} token ids, padding set to the pad id
 * @param mask row-major {@code [batch, seqLen]}, 1 for real tokens and 0 for padding
 * @param lengths real length of each row
 * @param seqLen padded length (the longest row)
 */
public record TokenBatch(long[] ids, long[] mask, int[] lengths, int seqLen) {

  /** Id used for padding in every BERT vocabulary we ship ({@code [PAD]}). */
  public static final int PAD_ID = 0;

  public TokenBatch {
    Objects.requireNonNull(ids, "ids");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(lengths, "lengths");
    if (lengths.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one sequence");
    }
    if (ids.length != (long) lengths.length * seqLen || mask.length != ids.length) {
      throw new IllegalArgumentException(
          "ids and mask must hold batch x seqLen = "
              + lengths.length
              + " x "
              + seqLen
              + " values, got "
              + ids.length
              + " and "
              + mask.length);
    }
  }

  /** Pads the encodings to the longest one. */
  public static TokenBatch of(List<Encoding> encodings) {
    Objects.requireNonNull(encodings, "encodings");
    int[][] rows = new int[encodings.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = encodings.get(i).ids();
    }
    return of(rows);
  }

  /** Pads raw id rows to the longest one. */
  public static TokenBatch of(int[][] rows) {
    Objects.requireNonNull(rows, "rows");
    if (rows.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one sequence");
    }
    int t = 0;
    for (int[] r : rows) {
      if (r.length == 0) {
        throw new IllegalArgumentException(
            "empty token sequence in batch: every sequence needs at least [CLS] and [SEP]");
      }
      t = Math.max(t, r.length);
    }
    long[] ids = new long[rows.length * t];
    long[] mask = new long[rows.length * t];
    int[] lengths = new int[rows.length];
    for (int b = 0; b < rows.length; b++) {
      lengths[b] = rows[b].length;
      for (int j = 0; j < rows[b].length; j++) {
        ids[b * t + j] = rows[b][j];
        mask[b * t + j] = 1;
      }
      for (int j = rows[b].length; j < t; j++) {
        ids[b * t + j] = PAD_ID;
      }
    }
    return new TokenBatch(ids, mask, lengths, t);
  }

  /** Number of sequences. */
  public int size() {
    return lengths.length;
  }

  /** Real (unpadded) tokens in the batch. */
  public long realTokens() {
    long n = 0;
    for (int l : lengths) {
      n += l;
    }
    return n;
  }
}
