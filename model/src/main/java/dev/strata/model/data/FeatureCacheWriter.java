package dev.strata.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.weights.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Encodes sentences once and writes a {@link FeatureCache} file: header, then every sentence's
 * states as float16, through a temporary file moved into place. Reading lives in {@link
 * FeatureCache}; this class only builds.
 */
final class FeatureCacheWriter {
  private final BertEncoder encoder;
  private final SubwordTokenizer tokenizer;
  private final List<Sentence> sentences;
  private final Path path;
  private final int batchSize;
  private final Consumer<FeatureCache.Progress> progress;

  FeatureCacheWriter(
      BertEncoder encoder,
      SubwordTokenizer tokenizer,
      List<Sentence> sentences,
      Path path,
      int batchSize,
      Consumer<FeatureCache.Progress> progress) {
    this.encoder = encoder;
    this.tokenizer = tokenizer;
    this.sentences = sentences;
    this.path = path;
    this.batchSize = batchSize;
    this.progress = progress;
  }

  CacheHeader write(
      String backboneId, String checksum, String fingerprint, int limit, int[] selected)
      throws IOException {
    int n = sentences.size();
    Encoding[] encodings = new Encoding[n];
    int[] tokens = new int[n];
    int[] wordCounts = new int[n];
    int[] dropped = new int[n];
    int[][] wordIds = new int[n][];
    for (int i = 0; i < n; i++) {
      Sentence s = sentences.get(i);
      Encoding e =
          tokenizer.fit(tokenizer.encodeWords(s.words()), limit, OverflowPolicy.TRUNCATE).get(0);
      encodings[i] = e;
      tokens[i] = e.length();
      wordCounts[i] = s.size();
      dropped[i] = e.droppedTokens();
      wordIds[i] = e.wordIds();
    }
    CacheHeader h =
        CacheHeader.layout(
            backboneId,
            checksum,
            fingerprint,
            limit,
            encoder.config().hidden(),
            selected.clone(),
            tokens,
            wordCounts,
            dropped,
            wordIds);
    Path abs = path.toAbsolutePath();
    Path tmp = AtomicFiles.tempSibling(abs);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        writeFully(ch, h.encode(), 0);
        encodeAll(ch, h, encodings);
        ch.force(true);
      }
      AtomicFiles.replace(tmp, path);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return h;
  }

  /** Encodes in batches of similar length (longest first, so memory peaks early). */
  private void encodeAll(FileChannel ch, CacheHeader h, Encoding[] encodings) throws IOException {
    int n = encodings.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(encodings[b].length(), encodings[a].length()));
    long t0 = System.nanoTime();
    int[] selected = h.stateIndices();
    for (int from = 0; from < n; from += batchSize) {
      int to = Math.min(n, from + batchSize);
      List<Encoding> batch = new ArrayList<>(to - from);
      for (int k = from; k < to; k++) {
        batch.add(encodings[order[k]]);
      }
      TokenBatch tb = TokenBatch.of(batch);
      try (HiddenStates hs = encoder.forward(tb)) {
        NDList chosen = new NDList(selected.length);
        for (int s : selected) {
          chosen.add(hs.states().get(s));
        }
        // [B, T, S, H] -> float16 in PyTorch (round to nearest even), rows are contiguous
        NDArray stacked = NDArrays.stack(chosen, 2);
        ByteBuffer bytes =
            stacked.toType(DataType.FLOAT16, false).toByteBuffer().order(ByteOrder.nativeOrder());
        long rowBytes = (long) tb.seqLen() * h.bytesPerToken();
        for (int k = from; k < to; k++) {
          int i = order[k];
          int row = k - from;
          ByteBuffer part =
              bytes.slice((int) (row * rowBytes), (int) (h.tokens()[i] * h.bytesPerToken()));
          writeFully(ch, littleEndian(part), h.offsets()[i]);
        }
      }
      progress.accept(
          new FeatureCache.Progress(to, n, to / Math.max(FeatureCache.seconds(t0), 1e-9)));
    }
  }

  private static ByteBuffer littleEndian(ByteBuffer nativeBytes) {
    if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
      return nativeBytes;
    }
    ShortBuffer in = nativeBytes.order(ByteOrder.BIG_ENDIAN).asShortBuffer();
    ByteBuffer out = ByteBuffer.allocate(nativeBytes.remaining()).order(ByteOrder.LITTLE_ENDIAN);
    while (in.hasRemaining()) {
      out.putShort(in.get());
    }
    return out.flip();
  }

  private static void writeFully(FileChannel ch, ByteBuffer b, long pos) throws IOException {
    long p = pos;
    while (b.hasRemaining()) {
      p += ch.write(b, p);
    }
  }
}
