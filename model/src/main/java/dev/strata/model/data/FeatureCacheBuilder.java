package dev.strata.model.data;

import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.text.SubwordTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Builds or reopens a {@link FeatureCache}: {@code setX} for required settings, {@code optX} for
 * optional ones. Obtained from {@link FeatureCache#builder()}.
 */
public final class FeatureCacheBuilder {
  private BertEncoder encoder;
  private SubwordTokenizer tokenizer;
  private List<Sentence> sentences;
  private Path path;
  private String backboneId;
  private String checksum;
  private int batchSize = 32;
  private int maxTokens = -1;
  private int[] states;
  private Consumer<FeatureCache.Progress> progress = p -> {};

  FeatureCacheBuilder() {}

  /** The frozen encoder. */
  public FeatureCacheBuilder setEncoder(BertEncoder encoder) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    return this;
  }

  /** The encoder's tokenizer. */
  public FeatureCacheBuilder setTokenizer(SubwordTokenizer tokenizer) {
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    return this;
  }

  /** The sentences; cache index i is {@code sentences.get(i)}. */
  public FeatureCacheBuilder setSentences(List<Sentence> sentences) {
    this.sentences = List.copyOf(Objects.requireNonNull(sentences, "sentences"));
    return this;
  }

  /** The cache file; its folder is created when missing. */
  public FeatureCacheBuilder setPath(Path path) {
    this.path = Objects.requireNonNull(path, "path");
    return this;
  }

  /** A name of the backbone (e.g. {@code bert-base-cased}), stored and compared. */
  public FeatureCacheBuilder setBackboneId(String backboneId) {
    this.backboneId = Objects.requireNonNull(backboneId, "backboneId");
    return this;
  }

  /**
   * A checksum of what the states depend on besides the words (weights, tokenizer): a cache with
   * another checksum is rebuilt.
   */
  public FeatureCacheBuilder setChecksum(String checksum) {
    this.checksum = Objects.requireNonNull(checksum, "checksum");
    return this;
  }

  /** Sentences per encoder call (default 32); sentences are batched by length. */
  public FeatureCacheBuilder optBatchSize(int batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  /**
   * Sub-token limit, special tokens included (default: the encoder's positions, at most 512);
   * longer sentences are truncated and counted.
   */
  public FeatureCacheBuilder optMaxTokens(int maxTokens) {
    this.maxTokens = maxTokens;
    return this;
  }

  /** Which states to store, 0 = embedding output … L = last layer (default: all L+1). */
  public FeatureCacheBuilder optStates(int... states) {
    this.states = Objects.requireNonNull(states, "states").clone();
    return this;
  }

  /** Called after every encoded batch (default: nothing). */
  public FeatureCacheBuilder optProgress(Consumer<FeatureCache.Progress> progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
    return this;
  }

  /**
   * Opens the cache when its header matches these settings, else encodes every sentence and writes
   * it.
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
    String fingerprint = FeatureCache.fingerprint(sentences);
    String reason = "no cache file";
    if (Files.exists(path)) {
      try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
        CacheHeader h = CacheHeader.read(ch, path.toString());
        reason = mismatch(h, fingerprint, limit, selected);
        if (reason == null) {
          return new FeatureCache(
              path,
              h,
              FeatureCache.BuildReport.reused(h, "matching cache", FeatureCache.seconds(t0)));
        }
      } catch (IOException e) {
        reason = "unreadable cache (" + e.getMessage() + ")";
      }
    }
    CacheHeader h =
        new FeatureCacheWriter(encoder, tokenizer, sentences, path, batchSize, progress)
            .write(backboneId, checksum, fingerprint, limit, selected);
    return new FeatureCache(
        path, h, FeatureCache.BuildReport.built(h, reason, FeatureCache.seconds(t0)));
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
      throw new IllegalArgumentException("FeatureCache builder: " + what + " is required");
    }
  }
}
