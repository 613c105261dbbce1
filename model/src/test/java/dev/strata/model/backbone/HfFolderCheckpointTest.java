package dev.strata.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.weights.SafetensorsWriter;
import dev.strata.model.weights.Tensor;
import dev.strata.model.weights.WeightFileException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny Hugging Face checkpoint folder written by the test, loaded in place with {@code hf:}. */
class HfFolderCheckpointTest {
  private static final BertConfig TINY =
      new BertConfig(2, 8, 2, 16, 10, 12, 2, 1e-12f, GeluVariant.ERF, -Float.MAX_VALUE);

  @TempDir Path folder;
  @TempDir Path cache;

  private void writeCheckpoint(String hiddenAct, String skip, long[] overrideShape)
      throws Exception {
    Files.writeString(
        folder.resolve("config.json"),
        "{\"architectures\":[\"BertModel\"],\"num_hidden_layers\":2,\"hidden_size\":8,"
            + "\"num_attention_heads\":2,\"intermediate_size\":16,\"vocab_size\":10,"
            + "\"max_position_embeddings\":12,\"type_vocab_size\":2,\"layer_norm_eps\":1e-12,"
            + "\"hidden_act\":\""
            + hiddenAct
            + "\"}");
    Files.writeString(folder.resolve("tokenizer_config.json"), "{\"do_lower_case\":false}");
    Files.writeString(folder.resolve("vocab.txt"), "[PAD]\n[UNK]\n");
    List<Tensor> tensors = new ArrayList<>();
    int seed = 0;
    for (Map.Entry<String, long[]> e : EncoderTensors.expectedShapes(TINY).entrySet()) {
      if (e.getKey().equals(skip)) {
        continue;
      }
      long[] shape =
          e.getKey().equals("encoder.layer.1.output.dense.weight") && overrideShape != null
              ? overrideShape
              : e.getValue();
      float[] v = new float[(int) Tensor.numel(shape)];
      for (int i = 0; i < v.length; i++) {
        v[i] = (seed++ % 97) / 97f;
      }
      String name = "bert." + e.getKey();
      if (name.endsWith("embeddings.LayerNorm.weight")) {
        name = name.replace("LayerNorm.weight", "LayerNorm.gamma");
      }
      tensors.add(new Tensor(name, shape, FloatBuffer.wrap(v)));
    }
    tensors.add(
        new Tensor("bert.pooler.dense.bias", new long[] {8}, FloatBuffer.wrap(new float[8])));
    SafetensorsWriter.write(folder.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
  }

  @Test
  void loadsInPlaceAndFillsTheSpec() throws Exception {
    writeCheckpoint("gelu_new", null, null);
    BackboneSpec spec = Backbones.byName("hf:" + folder);
    try (Checkpoint cp = new CheckpointLoader().load(spec, cache)) {
      assertThat(cp.config())
          .isEqualTo(
              new BertConfig(2, 8, 2, 16, 10, 12, 2, 1e-12f, GeluVariant.TANH, -Float.MAX_VALUE));
      assertThat(cp.spec().layers()).isEqualTo(2);
      assertThat(cp.spec().hidden()).isEqualTo(8);
      assertThat(cp.spec().heads()).isEqualTo(2);
      assertThat(cp.spec().cased()).isTrue();
      assertThat(cp.tokenizer().vocabTxt()).isEqualTo(folder.resolve("vocab.txt"));
      assertThat(cp.tokenizer().lowercase()).isFalse();
      assertThat(cp.weightChecksum())
          .isEqualTo(CheckpointLoaderTest.sha256(folder.resolve("model.safetensors")));
      assertThat(cp.tensors().names()).contains("embeddings.LayerNorm.weight");
      assertThat(cp.tensors().names()).noneMatch(n -> n.contains("pooler"));
    }
    assertThat(cache).isEmptyDirectory();
  }

  @Test
  void unsupportedActivationIsNamed() throws Exception {
    writeCheckpoint("relu", null, null);
    assertThatThrownBy(() -> new CheckpointLoader().load(Backbones.byName("hf:" + folder), cache))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("config.json")
        .hasMessageContaining("hidden_act 'relu'");
  }

  @Test
  void missingTensorIsNamedWithItsShape() throws Exception {
    writeCheckpoint("gelu", "encoder.layer.1.attention.self.key.bias", null);
    assertThatThrownBy(() -> new CheckpointLoader().load(Backbones.byName("hf:" + folder), cache))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("model.safetensors")
        .hasMessageContaining("'encoder.layer.1.attention.self.key.bias'")
        .hasMessageContaining("missing")
        .hasMessageContaining("[8]");
  }

  @Test
  void wrongShapeNamesBothShapes() throws Exception {
    writeCheckpoint("gelu", null, new long[] {16, 8});
    assertThatThrownBy(() -> new CheckpointLoader().load(Backbones.byName("hf:" + folder), cache))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("'encoder.layer.1.output.dense.weight'")
        .hasMessageContaining("expected [8, 16] but the file has [16, 8]");
  }
}
