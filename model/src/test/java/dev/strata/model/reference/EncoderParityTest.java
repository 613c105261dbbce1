package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import dev.strata.model.backbone.Backbones;
import dev.strata.model.backbone.Checkpoint;
import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.testing.TestJars;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.text.Tokenizers;
import dev.strata.model.weights.SafetensorsWriter;
import dev.strata.model.weights.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our encoder against ONNX Runtime on every hidden state: the real all-MiniLM-L6-v2 weights read
 * from the published ONNX jar, and the same weights written by this test as a Hugging Face
 * safetensors checkpoint folder (prefixed names, gamma/beta LayerNorm names, an unused pooler) and
 * loaded with {@code hf:}.
 */
class EncoderParityTest {
  private static final double TOLERANCE = 1e-4;
  private static final Path CACHE = TestJars.sharedWorkDir("strata-cache");

  private static OnnxReference ort;
  private static Checkpoint minilm;

  @BeforeAll
  static void openReference() {
    Path jar = TestJars.jarContaining(TestJars.MINILM_ONNX_ENTRY);
    ort = new OnnxReference(jar, 1);
    minilm = new CheckpointLoader().load(Backbones.byName("all-MiniLM-L6-v2"), CACHE);
  }

  @AfterAll
  static void close() {
    ort.close();
    minilm.close();
  }

  @Test
  void minilmFromTheOnnxJarMatchesOnnxRuntimeOnEveryLayer() throws Exception {
    BackboneVerifier.Report r = verify(minilm);
    assertThat(r.maxAbsDiff()).hasSize(7);
    for (int n = 0; n < r.maxAbsDiff().length; n++) {
      assertThat(r.maxAbsDiff()[n]).as("state %d", n).isLessThanOrEqualTo(TOLERANCE);
    }
    assertThat(r.tokens()).isGreaterThan(100);
  }

  @Test
  void selfWrittenSafetensorsCheckpointMatchesOnnxRuntimeOnEveryLayer(@TempDir Path folder)
      throws Exception {
    writeHuggingFaceFolder(minilm, folder);
    try (Checkpoint hf =
        new CheckpointLoader().load(Backbones.byName("hf:" + folder), CACHE.resolve("unused"))) {
      assertThat(hf.config().layers()).isEqualTo(6);
      assertThat(hf.spec().hidden()).isEqualTo(384);
      BackboneVerifier.Report r = verify(hf);
      for (int n = 0; n < r.maxAbsDiff().length; n++) {
        assertThat(r.maxAbsDiff()[n]).as("state %d", n).isLessThanOrEqualTo(TOLERANCE);
      }
    }
  }

  private static BackboneVerifier.Report verify(Checkpoint ckpt) throws Exception {
    try (SubwordTokenizer tok = Tokenizers.create(ckpt.tokenizer());
        BertEncoder enc = BertEncoder.load(ckpt.config(), ckpt.tensors(), Device.cpu())) {
      return BackboneVerifier.compare(
          tok, enc, ort, BackboneVerifier.builtInSentences(), ckpt.config().maxPositions());
    }
  }

  /** Writes the checkpoint as a Hugging Face folder with the naming quirks of real exports. */
  private static void writeHuggingFaceFolder(Checkpoint src, Path folder) throws Exception {
    BertConfig c = src.config();
    Files.writeString(
        folder.resolve("config.json"),
        "{\"architectures\":[\"BertModel\"],\"model_type\":\"bert\","
            + "\"num_hidden_layers\":"
            + c.layers()
            + ",\"hidden_size\":"
            + c.hidden()
            + ",\"num_attention_heads\":"
            + c.heads()
            + ",\"intermediate_size\":"
            + c.intermediate()
            + ",\"vocab_size\":"
            + c.vocabSize()
            + ",\"max_position_embeddings\":"
            + c.maxPositions()
            + ",\"type_vocab_size\":"
            + c.typeVocabSize()
            + ",\"layer_norm_eps\":1e-12,\"hidden_act\":\"gelu\"}");
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"do_lower_case\":true}");
    Path tokenizerJson = src.tokenizer().tokenizerJson();
    if (tokenizerJson != null) {
      Files.copy(tokenizerJson, folder.resolve("tokenizer.json"));
    } else {
      Files.copy(src.tokenizer().vocabTxt(), folder.resolve("vocab.txt"));
    }
    List<Tensor> tensors = new ArrayList<>();
    for (String name : Set.copyOf(src.tensors().names())) {
      Tensor t = src.tensors().tensor(name);
      String hfName = "bert." + name;
      if (name.startsWith("embeddings.LayerNorm.")) {
        hfName = hfName.replace(".weight", ".gamma").replace(".bias", ".beta");
      }
      tensors.add(new Tensor(hfName, t.shape(), t.data()));
    }
    float[] pooler = new float[c.hidden() * c.hidden()];
    tensors.add(
        new Tensor(
            "bert.pooler.dense.weight",
            new long[] {c.hidden(), c.hidden()},
            java.nio.FloatBuffer.wrap(pooler)));
    SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, Map.of());
  }
}
