package dev.strata.app.model;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.ModelDescriptor;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.EntityTagger;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@link Annotator} over a trained {@link EntityTagger} and its backbone. Inference is serialised
 * (one batch at a time) because the tagger's native resources are not shared safely between stream
 * threads; run one stream thread per model copy to use more cores.
 *
 * <p>The model version is {@code <backbone>/<head type>@<first 12 hex of the model file's
 * SHA-256>}, so any output can be traced to the exact file.
 */
public final class EntityTaggerAnnotator implements Annotator, AutoCloseable {
  private final LoadedBackbone backbone;
  private final EntityTagger tagger;
  private final String version;
  private final ModelDescriptor descriptor;
  private volatile boolean closed;

  private EntityTaggerAnnotator(
      LoadedBackbone backbone, EntityTagger tagger, String headName, String fileHash) {
    this.backbone = backbone;
    this.tagger = tagger;
    String backboneId = tagger.header().backbone().id();
    this.version = backboneId + "/" + headName + "@" + fileHash;
    this.descriptor =
        new ModelDescriptor(backboneId, Map.of(headName, fileHash), headName, headName);
  }

  /**
   * Opens the model file and the backbone it names.
   *
   * @param expectedBackbone backbone id the file must name; empty accepts any
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   * @throws IllegalArgumentException when the file is missing or trained on another backbone
   */
  public static EntityTaggerAnnotator open(Path modelFile, String expectedBackbone, String device) {
    requireNonNull(modelFile, "modelFile");
    requireNonNull(expectedBackbone, "expectedBackbone");
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException(
          "model.path " + modelFile + " is not a file; train one with 'strata train'");
    }
    HeadModelHeader header = HeadModelFile.readHeader(modelFile);
    String backboneId = header.backbone().id();
    if (!expectedBackbone.isEmpty() && !expectedBackbone.equals(backboneId)) {
      throw new IllegalArgumentException(
          "model.backbone is '"
              + expectedBackbone
              + "' but "
              + modelFile
              + " was trained on '"
              + backboneId
              + "'; point model.path at a model for that backbone, or clear model.backbone");
    }
    String hash = sha256Prefix(modelFile);
    LoadedBackbone bb = LoadedBackbone.open(backboneId, device);
    try {
      EntityTagger tagger = EntityTagger.load(modelFile, bb);
      return new EntityTaggerAnnotator(bb, tagger, header.head().type().id(), hash);
    } catch (RuntimeException e) {
      bb.close();
      throw e;
    }
  }

  @Override
  public synchronized List<Annotation> annotate(List<String> texts) {
    return tagger.annotate(texts);
  }

  @Override
  public String modelVersion() {
    return version;
  }

  @Override
  public ModelDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public boolean loaded() {
    return !closed;
  }

  /** Sub-tokens of {@code text}, special tokens included. */
  @Override
  public int tokenCount(String text) {
    return backbone.tokenizer().encode(text).length();
  }

  @Override
  public void close() {
    closed = true;
    tagger.close();
    backbone.close();
  }

  private static String sha256Prefix(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of()
          .formatHex(((DigestInputStream) in).getMessageDigest().digest())
          .substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read model file " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
