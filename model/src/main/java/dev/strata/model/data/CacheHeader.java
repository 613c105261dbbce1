package dev.strata.model.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The header of a {@link FeatureCache} file: identity, shapes and the per-sentence index. All
 * numbers are little-endian.
 *
 * <pre>
 *   8 bytes  magic "STRATAFC"
 *   int      format version
 *   int      header length in bytes (= where the states begin, a multiple of 64)
 *   string   backbone id          (int byte count, UTF-8 bytes)
 *   string   caller's checksum
 *   string   sentence fingerprint (SHA-256 of the words)
 *   int      max tokens used to truncate
 *   int      H
 *   int      S, then int[S] the state indices (0 = embeddings … L = last layer)
 *   int      N sentences
 *   long[N]  byte offset of every sentence's states
 *   per sentence: int T_i, int word count, int dropped sub-tokens, int[T_i] word ids
 *   padding to the header length
 * </pre>
 *
 * Sentence i's states follow at its offset: {@code [T_i, S, H]} float16, little-endian.
 */
record CacheHeader(
    String backboneId,
    String checksum,
    String fingerprint,
    int maxTokens,
    int hidden,
    int[] stateIndices,
    int[] tokens,
    int[] wordCounts,
    int[] dropped,
    int[][] wordIds,
    long[] offsets,
    int headerBytes) {

  static final byte[] MAGIC = "STRATAFC".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  private static final int ALIGN = 64;

  CacheHeader {
    Objects.requireNonNull(backboneId, "backboneId");
    Objects.requireNonNull(checksum, "checksum");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }

  /** A header for sentences of the given token counts; computes offsets and the header length. */
  static CacheHeader layout(
      String backboneId,
      String checksum,
      String fingerprint,
      int maxTokens,
      int hidden,
      int[] stateIndices,
      int[] tokens,
      int[] wordCounts,
      int[] dropped,
      int[][] wordIds) {
    int n = tokens.length;
    long size = (long) MAGIC.length + 4 + 4;
    size += 4 + utf8(backboneId).length + 4 + utf8(checksum).length + 4 + utf8(fingerprint).length;
    size += 4 + 4 + 4 + 4L * stateIndices.length + 4 + 8L * n;
    for (int i = 0; i < n; i++) {
      size += 12 + 4L * tokens[i];
    }
    long aligned = (size + ALIGN - 1) / ALIGN * ALIGN;
    if (aligned > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "cache index of " + aligned + " bytes exceeds 2 GB: split the sentences into parts");
    }
    long[] offsets = new long[n];
    long pos = aligned;
    long perToken = bytesPerToken(stateIndices.length, hidden);
    for (int i = 0; i < n; i++) {
      offsets[i] = pos;
      pos += perToken * tokens[i];
    }
    return new CacheHeader(
        backboneId,
        checksum,
        fingerprint,
        maxTokens,
        hidden,
        stateIndices,
        tokens,
        wordCounts,
        dropped,
        wordIds,
        offsets,
        (int) aligned);
  }

  int size() {
    return tokens.length;
  }

  int states() {
    return stateIndices.length;
  }

  /** Bytes of one sub-token's states. */
  long bytesPerToken() {
    return bytesPerToken(stateIndices.length, hidden);
  }

  /** Bytes of one sub-token's float16 states: {@code S * H} halves. */
  private static long bytesPerToken(int states, int hidden) {
    return 2L * states * hidden;
  }

  /** The length the file must have. */
  long fileLength() {
    int n = size();
    return n == 0 ? headerBytes : offsets[n - 1] + bytesPerToken() * tokens[n - 1];
  }

  ByteBuffer encode() {
    ByteBuffer b = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).putInt(VERSION).putInt(headerBytes);
    putString(b, backboneId);
    putString(b, checksum);
    putString(b, fingerprint);
    b.putInt(maxTokens).putInt(hidden).putInt(stateIndices.length);
    for (int s : stateIndices) {
      b.putInt(s);
    }
    b.putInt(size());
    for (long o : offsets) {
      b.putLong(o);
    }
    for (int i = 0; i < size(); i++) {
      b.putInt(tokens[i]).putInt(wordCounts[i]).putInt(dropped[i]);
      for (int w : wordIds[i]) {
        b.putInt(w);
      }
    }
    b.position(0);
    return b;
  }

  /**
   * Reads and checks a header.
   *
   * @throws IOException when the file is not a cache of this format version or is cut short; the
   *     message says which
   */
  static CacheHeader read(FileChannel ch, String file) throws IOException {
    long length = ch.size();
    ByteBuffer start = ByteBuffer.allocate(MAGIC.length + 8).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, start, 0, file);
    byte[] magic = new byte[MAGIC.length];
    start.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException(file + " is not a Strata feature cache (bad magic bytes)");
    }
    int version = start.getInt();
    if (version != VERSION) {
      throw new IOException(
          file + ": expected feature cache format version " + VERSION + ", got " + version);
    }
    int headerBytes = start.getInt();
    if (headerBytes < start.capacity() || headerBytes > length) {
      throw new IOException(
          file + ": header length " + headerBytes + " does not fit the file of " + length);
    }
    ByteBuffer b = ByteBuffer.allocate(headerBytes).order(ByteOrder.LITTLE_ENDIAN);
    readFully(ch, b, 0, file);
    b.position(start.capacity());
    try {
      String backboneId = getString(b);
      String checksum = getString(b);
      String fingerprint = getString(b);
      int maxTokens = b.getInt();
      int hidden = b.getInt();
      int[] stateIndices = new int[b.getInt()];
      for (int i = 0; i < stateIndices.length; i++) {
        stateIndices[i] = b.getInt();
      }
      int n = b.getInt();
      long[] offsets = new long[n];
      for (int i = 0; i < n; i++) {
        offsets[i] = b.getLong();
      }
      int[] tokens = new int[n];
      int[] wordCounts = new int[n];
      int[] dropped = new int[n];
      int[][] wordIds = new int[n][];
      for (int i = 0; i < n; i++) {
        tokens[i] = b.getInt();
        wordCounts[i] = b.getInt();
        dropped[i] = b.getInt();
        wordIds[i] = new int[tokens[i]];
        for (int j = 0; j < tokens[i]; j++) {
          wordIds[i][j] = b.getInt();
        }
      }
      CacheHeader h =
          new CacheHeader(
              backboneId,
              checksum,
              fingerprint,
              maxTokens,
              hidden,
              stateIndices,
              tokens,
              wordCounts,
              dropped,
              wordIds,
              offsets,
              headerBytes);
      if (h.fileLength() != length) {
        throw new IOException(
            file
                + ": expected "
                + h.fileLength()
                + " bytes for "
                + n
                + " sentences, found "
                + length
                + " (an interrupted write?)");
      }
      return h;
    } catch (RuntimeException e) {
      throw new IOException(file + ": corrupt feature cache header (" + e + ")", e);
    }
  }

  static void readFully(FileChannel ch, ByteBuffer b, long pos, String file) throws IOException {
    while (b.hasRemaining()) {
      int r = ch.read(b, pos + b.position());
      if (r < 0) {
        throw new IOException(file + ": unexpected end of file at byte " + (pos + b.position()));
      }
    }
    b.flip();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = utf8(s);
    b.putInt(bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer b) {
    int len = b.getInt();
    if (len < 0 || len > b.remaining()) {
      throw new IllegalStateException("string length " + len + " out of range");
    }
    byte[] bytes = new byte[len];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
