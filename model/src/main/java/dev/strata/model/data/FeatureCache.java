package dev.strata.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.text.OverflowPolicy;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.weights.HalfFloats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.ShortBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hidden states of a frozen encoder, computed once per sentence and stored on disk, so training a
 * head costs only the head's forward and backward passes.
 *
 * <p>{@link Builder#build()} opens the cache file when its header matches what is asked (backbone
 * id, the caller's checksum, a fingerprint of the sentences' words, the length limit, the width and
 * the selected states) and otherwise encodes every sentence and writes the file anew (to a
 * temporary file moved into place, so an interrupted build never leaves a half-written cache). The
 * caller's checksum should cover what the fingerprint cannot see: the encoder weights and the
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

  private FeatureCache(Path path, CacheHeader header, BuildReport report) throws IOException {
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
  public static Builder builder() {
    return new Builder();
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

  private ByteBuffer bytes(int i) {
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
    return assemble(manager, indices, null, null);
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
    return assemble(manager, indices, sentences, labels);
  }

  private CachedBatch assemble(
      NDManager manager, int[] indices, List<Sentence> sentences, LabelSet labels) {
    Objects.requireNonNull(manager, "manager");
    Objects.requireNonNull(indices, "indices");
    if (indices.length == 0) {
      throw new IllegalArgumentException("a batch needs at least one sentence index");
    }
    int n = indices.length;
    int tmax = 0;
    for (int i : indices) {
      tmax = Math.max(tmax, tokens(i));
    }
    int s = states();
    int h = hidden();
    long rowBytes = (long) tmax * s * h * 2;
    if (rowBytes * n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "batch of " + n + " x " + tmax + " tokens exceeds 2 GB of float16: use a smaller batch");
    }
    ByteBuffer half =
        ByteBuffer.allocateDirect((int) (rowBytes * n)).order(ByteOrder.nativeOrder());
    float[] mask = new float[n * tmax];
    long[] labelIds = sentences == null ? null : new long[n * tmax];
    if (labelIds != null) {
      Arrays.fill(labelIds, -1L);
    }
    for (int r = 0; r < n; r++) {
      int i = indices[r];
      ByteBuffer src = bytes(i);
      int base = (int) (r * rowBytes);
      if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
        half.put(base, src, 0, src.remaining());
      } else {
        ShortBuffer from = src.asShortBuffer();
        for (int k = 0; k < from.remaining(); k++) {
          half.putShort(base + 2 * k, from.get(k));
        }
      }
      int t = tokens(i);
      Arrays.fill(mask, r * tmax, r * tmax + t, 1f);
      if (labelIds != null) {
        Sentence sentence = sentences.get(i);
        if (!sentence.labeled()) {
          throw new IllegalArgumentException(
              "sentence " + i + " has no tags: token labels need labeled sentences");
        }
        if (sentence.size() != words(i)) {
          throw new IllegalArgumentException(
              "sentence "
                  + i
                  + " has "
                  + sentence.size()
                  + " words but the cache "
                  + path
                  + " stored "
                  + words(i)
                  + ": pass the list the cache was built from");
        }
        int[] first = firstSubTokens(i);
        for (int w = 0; w < first.length; w++) {
          if (first[w] >= 0) {
            labelIds[r * tmax + first[w]] = labels.encode(sentence.tags().get(w));
          }
        }
      }
    }
    half.rewind();
    NDArray statesArray;
    try (NDArray f16 = manager.create(half, new Shape(n, tmax, s, h), DataType.FLOAT16)) {
      statesArray = f16.toType(DataType.FLOAT32, true);
    }
    NDArray maskArray = manager.create(mask, new Shape(n, tmax));
    NDArray labelArray = labelIds == null ? null : manager.create(labelIds, new Shape(n, tmax));
    return new CachedBatch(indices.clone(), statesArray, maskArray, labelArray);
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
   * The outcome of {@link Builder#build()}.
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

  /** Builds or reopens a {@link FeatureCache}. */
  public static final class Builder {
    private BertEncoder encoder;
    private SubwordTokenizer tokenizer;
    private List<Sentence> sentences;
    private Path path;
    private String backboneId;
    private String checksum;
    private int batchSize = 32;
    private int maxTokens = -1;
    private int[] states;
    private Consumer<Progress> progress = p -> {};

    private Builder() {}

    /** The frozen encoder. */
    public Builder setEncoder(BertEncoder encoder) {
      this.encoder = Objects.requireNonNull(encoder, "encoder");
      return this;
    }

    /** The encoder's tokenizer. */
    public Builder setTokenizer(SubwordTokenizer tokenizer) {
      this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
      return this;
    }

    /** The sentences; cache index i is {@code sentences.get(i)}. */
    public Builder setSentences(List<Sentence> sentences) {
      this.sentences = List.copyOf(Objects.requireNonNull(sentences, "sentences"));
      return this;
    }

    /** The cache file; its folder is created when missing. */
    public Builder setPath(Path path) {
      this.path = Objects.requireNonNull(path, "path");
      return this;
    }

    /** A name of the backbone (e.g. {@code bert-base-cased}), stored and compared. */
    public Builder setBackboneId(String backboneId) {
      this.backboneId = Objects.requireNonNull(backboneId, "backboneId");
      return this;
    }

    /**
     * A checksum of what the states depend on besides the words (weights, tokenizer): a cache with
     * another checksum is rebuilt.
     */
    public Builder setChecksum(String checksum) {
      this.checksum = Objects.requireNonNull(checksum, "checksum");
      return this;
    }

    /** Sentences per encoder call (default 32); sentences are batched by length. */
    public Builder optBatchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    /**
     * Sub-token limit, special tokens included (default: the encoder's positions, at most 512);
     * longer sentences are truncated and counted.
     */
    public Builder optMaxTokens(int maxTokens) {
      this.maxTokens = maxTokens;
      return this;
    }

    /** Which states to store, 0 = embedding output … L = last layer (default: all L+1). */
    public Builder optStates(int... states) {
      this.states = Objects.requireNonNull(states, "states").clone();
      return this;
    }

    /** Called after every encoded batch (default: nothing). */
    public Builder optProgress(Consumer<Progress> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /**
     * Opens the cache when its header matches these settings, else encodes every sentence and
     * writes it.
     *
     * @throws IllegalArgumentException naming a missing or bad setting
     * @throws UncheckedIOException when the file cannot be written or read
     */
    public FeatureCache build() {
      require(encoder, "encoder (setEncoder)");
      require(tokenizer, "tokenizer (setTokenizer)");
      require(sentences, "sentences (setSentences)");
      require(path, "path (setPath)");
      require(backboneId, "backboneId (setBackboneId)");
      require(checksum, "checksum (setChecksum)");
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
      }
      int positions = encoder.config().maxPositions();
      int limit = maxTokens < 0 ? Math.min(512, positions) : maxTokens;
      if (limit < 3 || limit > positions) {
        throw new IllegalArgumentException(
            "maxTokens must be in [3, "
                + positions
                + "] (the encoder's positions), got "
                + maxTokens);
      }
      int count = encoder.config().states();
      int[] selected = states == null ? rangeOf(count) : states;
      if (selected.length == 0) {
        throw new IllegalArgumentException("optStates needs at least one state index");
      }
      for (int s : selected) {
        if (s < 0 || s >= count) {
          throw new IllegalArgumentException(
              "state index " + s + " outside [0, " + count + ") of the encoder's L+1 states");
        }
      }
      try {
        return openOrBuild(limit, selected);
      } catch (IOException e) {
        throw new UncheckedIOException("feature cache " + path + ": " + e.getMessage(), e);
      }
    }

    private FeatureCache openOrBuild(int limit, int[] selected) throws IOException {
      long t0 = System.nanoTime();
      String fingerprint = fingerprint(sentences);
      String reason = "no cache file";
      if (Files.exists(path)) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
          CacheHeader h = CacheHeader.read(ch, path.toString());
          reason = mismatch(h, fingerprint, limit, selected);
          if (reason == null) {
            return new FeatureCache(path, h, BuildReport.reused(h, "matching cache", seconds(t0)));
          }
        } catch (IOException e) {
          reason = "unreadable cache (" + e.getMessage() + ")";
        }
      }
      CacheHeader h =
          new FeatureCacheWriter(encoder, tokenizer, sentences, path, batchSize, progress)
              .write(backboneId, checksum, fingerprint, limit, selected);
      return new FeatureCache(path, h, BuildReport.built(h, reason, seconds(t0)));
    }

    private String mismatch(CacheHeader h, String fingerprint, int limit, int[] selected) {
      if (!h.backboneId().equals(backboneId)) {
        return "backbone differs: cache has '" + h.backboneId() + "', asked '" + backboneId + "'";
      }
      if (!h.checksum().equals(checksum)) {
        return "checksum differs: cache has '" + h.checksum() + "', asked '" + checksum + "'";
      }
      if (!h.fingerprint().equals(fingerprint)) {
        return "the sentences differ from those the cache was built from";
      }
      if (h.maxTokens() != limit) {
        return "maxTokens differs: cache has " + h.maxTokens() + ", asked " + limit;
      }
      if (h.hidden() != encoder.config().hidden()) {
        return "hidden width differs: cache has "
            + h.hidden()
            + ", encoder has "
            + encoder.config().hidden();
      }
      if (!Arrays.equals(h.stateIndices(), selected)) {
        return "states differ: cache has "
            + Arrays.toString(h.stateIndices())
            + ", asked "
            + Arrays.toString(selected);
      }
      return null;
    }

    private static int[] rangeOf(int n) {
      int[] r = new int[n];
      for (int i = 0; i < n; i++) {
        r[i] = i;
      }
      return r;
    }

    private static void require(Object value, String what) {
      if (value == null) {
        throw new IllegalArgumentException("FeatureCache.Builder: " + what + " is required");
      }
    }
  }
}
