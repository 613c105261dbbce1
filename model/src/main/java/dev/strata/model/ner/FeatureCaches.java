package dev.strata.model.ner;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.FeatureCacheBuilder;
import dev.strata.model.data.Sentence;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the encoder states of a data set are cached: one file per (backbone weights, sentence
 * list), so a sweep over heads, sizes and seeds encodes each sentence once.
 */
public final class FeatureCaches {
  private FeatureCaches() {}

  /**
   * Opens the cache of {@code sentences} under {@code dir}, encoding them first if needed.
   *
   * @param progress where to print progress, or {@code null}
   */
  public static FeatureCache open(
      LoadedBackbone backbone, List<Sentence> sentences, Path dir, PrintStream progress) {
    String checksum = backbone.checkpoint().weightChecksum();
    Path file =
        dir.resolve("features")
            .resolve(backbone.spec().name().replaceAll("[^A-Za-z0-9._-]", "_"))
            .resolve(key(sentences) + ".f16");
    long[] last = {0};
    FeatureCacheBuilder b =
        FeatureCache.builder()
            .setEncoder(backbone.encoder())
            .setTokenizer(backbone.tokenizer())
            .setSentences(sentences)
            .setPath(file)
            .setBackboneId(backbone.spec().name())
            .setChecksum(checksum);
    if (progress != null) {
      b.optProgress(
          p -> {
            long now = System.nanoTime();
            if (p.done() == p.total() || now - last[0] > 5_000_000_000L) {
              last[0] = now;
              progress.printf(
                  "  encoding %d/%d sentences (%.1f sentences/s)%n",
                  p.done(), p.total(), p.sentencesPerSecond());
            }
          });
    }
    FeatureCache cache = b.build();
    if (progress != null && cache.report().truncatedSentences() > 0) {
      progress.printf(
          "  note: %d sentences were longer than %d sub-tokens and were truncated; their cut words"
              + " are predicted as O%n",
          cache.report().truncatedSentences(), cache.maxTokens());
    }
    return cache;
  }

  private static String key(List<Sentence> sentences) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (Sentence s : sentences) {
        for (String w : s.words()) {
          md.update(w.getBytes(StandardCharsets.UTF_8));
          md.update((byte) 0x1f);
        }
        md.update((byte) 0x1e);
      }
      return HexFormat.of().formatHex(md.digest()).substring(0, 16) + "-" + sentences.size();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
