package dev.strata.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.testing.TestJars;
import dev.strata.model.weights.OnnxReader;
import dev.strata.model.weights.WeightFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Converts and reloads all-MiniLM-L6-v2 from its jar (resolved offline from the test classpath).
 */
class CheckpointLoaderTest {
  @TempDir Path cache;

  static CheckpointLoader offlineLoader(String coordinates, String classpathEntry) {
    Path jar = TestJars.jarContaining(classpathEntry);
    Path relative = MavenArtifacts.Coordinates.parse(coordinates).jarPath();
    Path repo = jar;
    for (int i = 0; i < relative.getNameCount(); i++) {
      repo = repo.getParent();
    }
    return new CheckpointLoader(new MavenArtifacts(repo, "strata-test-no-mvn"));
  }

  static String sha256(Path file) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void miniLmColdThenWarm() throws Exception {
    BackboneSpec spec = Backbones.byName("all-MiniLM-L6-v2");
    CheckpointLoader loader = offlineLoader(spec.coordinates(), TestJars.MINILM_ONNX_ENTRY);
    Path folder = CheckpointLoader.cacheFolder(spec, cache);

    long t0 = System.nanoTime();
    String coldChecksum;
    try (Checkpoint cold = loader.load(spec, cache)) {
      long coldMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.println("all-MiniLM-L6-v2 cold conversion: " + coldMs + " ms");
      BertConfig c = cold.config();
      assertThat(c)
          .isEqualTo(
              new BertConfig(
                  6, 384, 12, 1536, 30522, 512, 2, 1e-12f, GeluVariant.ERF, -Float.MAX_VALUE));
      assertThat(cold.tokenizer().lowercase()).isTrue();
      assertThat(cold.tokenizer().vocabTxt()).isNull();
      assertThat(cold.tokenizer().tokenizerJson()).isEqualTo(folder.resolve("tokenizer.json"));
      assertThat(folder.resolve("tokenizer.json")).isRegularFile();
      assertThat(folder.resolve("config.json")).isRegularFile();
      assertThat(folder.resolve("work")).doesNotExist();
      coldChecksum = cold.weightChecksum();
      assertThat(Files.readString(folder.resolve("COMPLETE")).trim()).isEqualTo(coldChecksum);
      assertThat(sha256(folder.resolve("model.safetensors"))).isEqualTo(coldChecksum);
      assertThat(cold.tensors().names()).hasSize(5 + 6 * 16);

      try (OnnxReader onnx = OnnxReader.open(TestJars.jarContaining(TestJars.MINILM_ONNX_ENTRY))) {
        for (String n :
            new String[] {
              "encoder.layer.4.attention.self.value.weight",
              "encoder.layer.0.intermediate.dense.weight",
              "embeddings.LayerNorm.bias"
            }) {
          assertThat(cold.tensors().tensor(n).toArray()).as(n).isEqualTo(onnx.tensor(n).toArray());
        }
      }
    }

    FileTime written = Files.getLastModifiedTime(folder.resolve("model.safetensors"));
    long t1 = System.nanoTime();
    try (Checkpoint warm = loader.load(spec, cache)) {
      long warmMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.println("all-MiniLM-L6-v2 warm load: " + warmMs + " ms");
      assertThat(warm.weightChecksum()).isEqualTo(coldChecksum);
      assertThat(warm.spec()).isEqualTo(spec);
      assertThat(warm.tensors().tensor("encoder.layer.5.output.dense.weight").shape())
          .containsExactly(384, 1536);
    }
    assertThat(Files.getLastModifiedTime(folder.resolve("model.safetensors"))).isEqualTo(written);
  }

  @Test
  void folderWithoutCompleteMarkerIsRebuilt() throws Exception {
    BackboneSpec spec = Backbones.byName("all-MiniLM-L6-v2");
    CheckpointLoader loader = offlineLoader(spec.coordinates(), TestJars.MINILM_ONNX_ENTRY);
    Path folder = CheckpointLoader.cacheFolder(spec, cache);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("model.safetensors"), "half-written by a crashed run");

    try (Checkpoint cp = loader.load(spec, cache)) {
      assertThat(sha256(folder.resolve("model.safetensors"))).isEqualTo(cp.weightChecksum());
    }
  }

  @Test
  void specThatDisagreesWithTheWeightsNamesBoth() {
    BackboneSpec real = Backbones.byName("all-MiniLM-L6-v2");
    BackboneSpec wrong =
        new BackboneSpec(
            "minilm-claimed-12",
            "wrong layer count",
            12,
            384,
            12,
            false,
            WeightFormat.ONNX,
            real.coordinates(),
            real.licence());
    CheckpointLoader loader = offlineLoader(real.coordinates(), TestJars.MINILM_ONNX_ENTRY);
    assertThatThrownBy(() -> loader.load(wrong, cache))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("holds 6 layers of width 384")
        .hasMessageContaining("declares 12 layers of width 384");
    assertThat(CheckpointLoader.cacheFolder(wrong, cache).resolve("COMPLETE")).doesNotExist();
  }

  @Test
  void missingArtifactIsReportedWithoutTouchingTheNetwork() {
    BackboneSpec spec =
        new BackboneSpec(
            "nowhere",
            "absent",
            6,
            384,
            12,
            false,
            WeightFormat.ONNX,
            "com.example.absent:model:0.0.1",
            "none");
    CheckpointLoader loader =
        new CheckpointLoader(new MavenArtifacts(cache.resolve("repo"), "strata-test-no-mvn"));
    assertThatThrownBy(() -> loader.load(spec, cache))
        .isInstanceOf(ArtifactResolutionException.class)
        .hasMessageContaining("com.example.absent:model:0.0.1");
  }
}
