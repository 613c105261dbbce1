package dev.strata.model.data;

import ai.djl.ndarray.NDManager;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.weights.HalfFloats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Hidden states of a frozen encoder, computed once per sentence and stored on disk, so training a
 * head costs only the head's forward and backward passes.
 *
 * <p>{@link FeatureCacheBuilder#build()} opens the cache file when its header matches what is asked
 * (backbone id, the caller's checksum, a fingerprint of the sentences' words, the length limit, the
 * width and the selected states) and otherwise encodes every sentence and writes the file anew (to
 * a temporary file moved into place, so an interrupted build never leaves a half-written cache).
 * The caller's checksum should cover what the fingerprint cannot see: the encoder weights and the
 * tokenizer.
 *
 * <p>Per sentence the file holds the sub-token count T_i, the sub-token → word map, and the
 * selected hidden states of all T_i sub-tokens (including {@code [CLS]} and {@code [SEP]}) as
 * {@code [T_i, S, H]} float16. Sentences longer than the limit are truncated ({@link
 * OverflowPolicy#TRUNCATE}) and counted in {@link BuildReport#truncatedSentences()}; words cut off
 * get no label position. The states are memory-mapped in segments of at most 1 GiB, so a cache may
 * exceed 2 GB.
 *
 * <p>Reading is thread-safe. Closing drops the mappings (the operating system releases them when
 * they are garbage-collected).
 */
public final class FeatureCache implements AutoCloseable {
  private static final long SEGMENT_BYTES = 1L << 30;

  private final Path path;
  private final CacheHeader header;
  private final MappedByteBuffer[] segments;
  private final int[] segmentOf;
  private final long[] segmentStart;
  private final BuildReport report;

  FeatureCache(Path path, CacheHeader header, BuildReport report) throws IOException {
    this.path = path;
    this.header = header;
    this.report = report;
    int n = header.size();
    this.segmentOf = new int[n];
    List<MappedByteBuffer> maps = new ArrayList<>();
    List<Long> starts = new ArrayList<>();
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      int i = 0;
      while (i < n) {
        long begin = header.offsets()[i];
        long end = begin;
        int j = i;
        while (j < n
            && (j == i
                || end + header.bytesPerToken() * header.tokens()[j] - begin <= SEGMENT_BYTES)) {
          end += header.bytesPerToken() * header.tokens()[j];
          segmentOf[j] = maps.size();
          j++;
        }
        maps.add(ch.map(FileChannel.MapMode.READ_ONLY, begin, end - begin));
        starts.add(begin);
        i = j;
      }
    }
    this.segments = maps.toArray(new MappedByteBuffer[0]);
    this.segmentStart = starts.stream().mapToLong(Long::longValue).toArray();
    for (MappedByteBuffer m : segments) {
      m.order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  /** A builder: {@code setX} for required settings, {@code optX} for optional ones. */
  public static FeatureCacheBuilder builder() {
    return new FeatureCacheBuilder();
  }

  /**
   * Opens an existing cache without checking what it was built from (for readers that only have the
   * file).
   *
   * @throws IOException when the file is not a cache of this format version or is incomplete
   */
  public static FeatureCache open(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    long t0 = System.nanoTime();
    CacheHeader h;
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      h = CacheHeader.read(ch, path.toString());
    }
    return new FeatureCache(path, h, BuildReport.reused(h, "opened as is", seconds(t0)));
  }

  /** The cache file. */
  public Path path() {
    return path;
  }

  /** Whether the cache was reused or built, and the build's numbers. */
  public BuildReport report() {
    return report;
  }

  /** The backbone id the cache was built with. */
  public String backboneId() {
    return header.backboneId();
  }

  /** The caller's checksum the cache was built with. */
  public String checksum() {
    return header.checksum();
  }

  /** Number of sentences. */
  public int size() {
    return header.size();
  }

  /** Number of stored states S. */
  public int states() {
    return header.states();
  }

  /** Which encoder states are stored (0 = embedding output, L = last layer), in order. */
  public int[] stateIndices() {
    return header.stateIndices().clone();
  }

  /** Hidden width H. */
  public int hidden() {
    return header.hidden();
  }

  /** The sub-token limit sentences were truncated to. */
  public int maxTokens() {
    return header.maxTokens();
  }

  /** Sub-tokens T_i of sentence {@code i}, special tokens included. */
  public int tokens(int i) {
    checkIndex(i);
    return header.tokens()[i];
  }

  /** Words in sentence {@code i} (before truncation). */
  public int words(int i) {
    checkIndex(i);
    return header.wordCounts()[i];
  }

  /** Sub-tokens cut from sentence {@code i} by the length limit (0 when it fitted). */
  public int droppedTokens(int i) {
    checkIndex(i);
    return header.dropped()[i];
  }

  /** The word of every sub-token of sentence {@code i}, -1 for {@code [CLS]} and {@code [SEP]}. */
  public int[] wordIds(int i) {
    checkIndex(i);
    return header.wordIds()[i].clone();
  }

  /**
   * For every word of sentence {@code i}, the position of its first sub-token, or -1 when the word
   * was truncated away.
   */
  public int[] firstSubTokens(int i) {
    checkIndex(i);
    int[] first = new int[header.wordCounts()[i]];
    Arrays.fill(first, -1);
    int[] ids = header.wordIds()[i];
    for (int t = 0; t < ids.length; t++) {
      int w = ids[t];
      if (w >= 0 && first[w] < 0) {
        first[w] = t;
      }
    }
    return first;
  }

  /** The stored states of sentence {@code i} as float32, row-major {@code [T_i, S, H]}. */
  public float[] states(int i) {
    ShortBuffer halves = halfStates(i);
    float[] out = new float[halves.remaining()];
    for (int k = 0; k < out.length; k++) {
      out[k] = HalfFloats.toFloat(halves.get(k));
    }
    return out;
  }

  /** The raw float16 bits of sentence {@code i}, {@code [T_i, S, H]}, read-only. */
  public ShortBuffer halfStates(int i) {
    return bytes(i).asShortBuffer().asReadOnlyBuffer();
  }

  /** The float16 bytes of sentence {@code i}, little-endian, a slice of the mapping. */
  ByteBuffer bytes(int i) {
    checkIndex(i);
    MappedByteBuffer seg = segments[segmentOf[i]];
    if (seg == null) {
      throw new IllegalStateException("the feature cache " + path + " is closed: open it again");
    }
    int from = (int) (header.offsets()[i] - segmentStart[segmentOf[i]]);
    int len = (int) (header.bytesPerToken() * header.tokens()[i]);
    return seg.slice(from, len).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Assembles sentences into a padded batch on {@code manager}: states {@code [N, Tmax, S, H]}
   * float32 (zeros on padding) and mask {@code [N, Tmax]} float32; no labels.
   */
  public CachedBatch batch(NDManager manager, int[] indices) {
    return BatchAssembler.assemble(this, manager, indices, null, null);
  }

  /**
   * As {@link #batch(NDManager, int[])}, plus token-classification labels {@code [N, Tmax]} int64:
   * the first sub-token of every word holds the index of the word's tag in {@code labels}, every
   * other position (special tokens, continuation pieces, padding) holds -1.
   *
   * @param sentences the list the cache was built from (indices refer to it)
   * @throws IllegalArgumentException when the list does not match the cache or a sentence is
   *     unlabeled
   */
  public CachedBatch batch(
      NDManager manager, int[] indices, List<Sentence> sentences, LabelSet labels) {
    checkSentences(sentences, labels);
    return BatchAssembler.assemble(this, manager, indices, sentences, labels);
  }

  /**
   * Only the labelled positions of the sentences at {@code indices}: the first sub-token of every
   * word the length limit kept, in sentence and word order, packed into one row. States {@code [1,
   * M, S, H]} float32, mask {@code [1, M]} all ones, labels {@code [1, M]} int64, M = the kept
   * words. When no word is kept, the padded batch of {@link #batch(NDManager, int[], List,
   * LabelSet)} instead.
   *
   * <p>A head that treats every position on its own (every head but {@code deeper}) gets the same
   * loss from this batch as from the padded one, at a fraction of the positions: no padding,
   * special tokens or continuation pieces.
   *
   * @throws IllegalArgumentException as {@link #batch(NDManager, int[], List, LabelSet)}
   */
  public CachedBatch wordStarts(
      NDManager manager, int[] indices, List<Sentence> sentences, LabelSet labels) {
    checkSentences(sentences, labels);
    return BatchAssembler.assembleWordStarts(this, manager, indices, sentences, labels);
  }

  /**
   * As {@link #wordStarts(NDManager, int[], List, LabelSet)} without labels: the states of the
   * first sub-token of every kept word, {@code [1, M, S, H]}, for prediction.
   */
  public CachedBatch wordStarts(NDManager manager, int[] indices) {
    return BatchAssembler.assembleWordStarts(this, manager, indices, null, null);
  }

  private void checkSentences(List<Sentence> sentences, LabelSet labels) {
    Objects.requireNonNull(sentences, "sentences");
    Objects.requireNonNull(labels, "labels");
    if (sentences.size() != size()) {
      throw new IllegalArgumentException(
          "the sentence list has "
              + sentences.size()
              + " sentences but the cache "
              + path
              + " holds "
              + size()
              + ": pass the list the cache was built from");
    }
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= header.size()) {
      throw new IndexOutOfBoundsException(
          "sentence " + i + " outside [0, " + header.size() + ") of the cache " + path);
    }
  }

  @Override
  public void close() {
    Arrays.fill(segments, null);
  }

  static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  /** SHA-256 over the words of every sentence, in order. */
  static String fingerprint(List<Sentence> sentences) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    for (Sentence s : sentences) {
      for (String w : s.words()) {
        md.update(w.getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
      }
      md.update((byte) 1);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /**
   * The outcome of {@link FeatureCacheBuilder#build()}.
   *
   * @param reused whether an existing file was opened instead of encoding
   * @param reason why: {@code "matching cache"}, or what made a rebuild necessary
   * @param sentences sentences in the cache
   * @param truncatedSentences sentences cut to the length limit
   * @param subTokens sub-tokens stored, special tokens included
   * @param seconds wall time of the open or the build
   */
  public record BuildReport(
      boolean reused,
      String reason,
      int sentences,
      int truncatedSentences,
      long subTokens,
      double seconds) {

    static BuildReport reused(CacheHeader h, String reason, double seconds) {
      return new BuildReport(true, reason, h.size(), truncated(h), totalTokens(h), seconds);
    }

    static BuildReport built(CacheHeader h, String reason, double seconds) {
      return new BuildReport(false, reason, h.size(), truncated(h), totalTokens(h), seconds);
    }

    private static int truncated(CacheHeader h) {
      int c = 0;
      for (int d : h.dropped()) {
        if (d > 0) {
          c++;
        }
      }
      return c;
    }

    private static long totalTokens(CacheHeader h) {
      long t = 0;
      for (int x : h.tokens()) {
        t += x;
      }
      return t;
    }
  }

  /**
   * Build progress, reported after every batch.
   *
   * @param done sentences encoded so far
   * @param total sentences to encode
   * @param sentencesPerSecond average speed so far
   */
  public record Progress(int done, int total, double sentencesPerSecond) {}
}
