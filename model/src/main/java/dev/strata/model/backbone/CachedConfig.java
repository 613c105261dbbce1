package dev.strata.model.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.weights.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code config.json} of a converted backbone in the cache: our {@link BertConfig} fields, the
 * tokenizer's casing, and where the weights came from.
 *
 * @param config the architecture
 * @param lowercase whether the tokenizer lower-cases
 * @param source Maven coordinates of the original weights
 * @param format format of the original weights
 */
record CachedConfig(BertConfig config, boolean lowercase, String source, WeightFormat format) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void write(Path file) {
    ObjectNode n = JSON.createObjectNode();
    n.put("layers", config.layers());
    n.put("hidden", config.hidden());
    n.put("heads", config.heads());
    n.put("intermediate", config.intermediate());
    n.put("vocabSize", config.vocabSize());
    n.put("maxPositions", config.maxPositions());
    n.put("typeVocabSize", config.typeVocabSize());
    n.put("layerNormEps", config.layerNormEps());
    n.put("gelu", config.gelu().name());
    n.put("maskAdder", config.maskAdder());
    n.put("lowercase", lowercase);
    n.put("source", source);
    n.put("format", format.name());
    try {
      Path tmp = AtomicFiles.tempSibling(file);
      Files.write(tmp, JSON.writeValueAsBytes(n));
      AtomicFiles.replace(tmp, file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e, e);
    }
  }

  /**
   * Reads a cached config.
   *
   * @throws IOException if the file is missing or incomplete (the cache entry is then rebuilt)
   */
  static CachedConfig read(Path file) throws IOException {
    JsonNode n = JSON.readTree(file.toFile());
    try {
      BertConfig c =
          new BertConfig(
              intField(n, "layers"),
              intField(n, "hidden"),
              intField(n, "heads"),
              intField(n, "intermediate"),
              intField(n, "vocabSize"),
              intField(n, "maxPositions"),
              intField(n, "typeVocabSize"),
              (float) field(n, "layerNormEps").asDouble(),
              GeluVariant.valueOf(field(n, "gelu").asText()),
              (float) field(n, "maskAdder").asDouble());
      return new CachedConfig(
          c,
          field(n, "lowercase").asBoolean(),
          field(n, "source").asText(),
          WeightFormat.valueOf(field(n, "format").asText()));
    } catch (IllegalArgumentException e) {
      throw new IOException(file + " is invalid: " + e.getMessage(), e);
    }
  }

  private static JsonNode field(JsonNode n, String key) throws IOException {
    JsonNode v = n == null ? null : n.get(key);
    if (v == null || v.isNull()) {
      throw new IOException("'" + key + "' is missing");
    }
    return v;
  }

  private static int intField(JsonNode n, String key) throws IOException {
    return field(n, key).asInt();
  }
}
