package dev.strata.model.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.weights.WeightFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The architecture of a Hugging Face checkpoint folder, from its {@code config.json} and (for
 * casing) {@code tokenizer_config.json}.
 *
 * @param config the architecture
 * @param lowercase {@code do_lower_case} of the tokenizer config, {@code true} if absent
 */
record HfCheckpointConfig(BertConfig config, boolean lowercase) {
  /** Attention-mask adder of PyTorch BERT: float32 min. */
  static final float TORCH_MASK_ADDER = -Float.MAX_VALUE;

  private static final ObjectMapper JSON = new ObjectMapper();

  static HfCheckpointConfig read(Path folder) {
    Path file = folder.resolve("config.json");
    JsonNode c = readJson(file);
    if (c == null) {
      throw new WeightFileException(
          file.toString(), null, "missing; a Hugging Face checkpoint folder needs config.json");
    }
    String act = c.path("hidden_act").asText("gelu");
    GeluVariant gelu =
        switch (act) {
          case "gelu" -> GeluVariant.ERF;
          case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GeluVariant.TANH;
          default ->
              throw new WeightFileException(
                  file.toString(),
                  null,
                  "hidden_act '"
                      + act
                      + "' is not supported; expected gelu, gelu_new, gelu_pytorch_tanh or"
                      + " gelu_fast");
        };
    BertConfig config;
    try {
      config =
          new BertConfig(
              required(file, c, "num_hidden_layers"),
              required(file, c, "hidden_size"),
              required(file, c, "num_attention_heads"),
              required(file, c, "intermediate_size"),
              required(file, c, "vocab_size"),
              required(file, c, "max_position_embeddings"),
              c.path("type_vocab_size").asInt(2),
              (float) c.path("layer_norm_eps").asDouble(1e-12),
              gelu,
              TORCH_MASK_ADDER);
    } catch (IllegalArgumentException e) {
      throw new WeightFileException(file.toString(), null, e.getMessage(), e);
    }
    JsonNode tok = readJson(folder.resolve("tokenizer_config.json"));
    boolean lowercase = tok == null || tok.path("do_lower_case").asBoolean(true);
    return new HfCheckpointConfig(config, lowercase);
  }

  private static int required(Path file, JsonNode c, String key) {
    JsonNode v = c.get(key);
    if (v == null || !v.canConvertToInt()) {
      throw new WeightFileException(
          file.toString(), null, "needs an integer '" + key + "', got " + v);
    }
    return v.asInt();
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new WeightFileException(file.toString(), null, "not valid JSON: " + e.getMessage(), e);
    }
  }
}
