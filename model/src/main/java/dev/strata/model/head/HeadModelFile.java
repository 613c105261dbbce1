package dev.strata.model.head;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import dev.strata.model.head.HeadModelException.Reason;
import dev.strata.model.weights.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The one file a trained head is saved to. Layout (big-endian):
 *
 * <pre>
 *   8 bytes   magic "STRATAHM"
 *   int       format version ({@value #FORMAT_VERSION})
 *   int       header length, then the header as UTF-8 JSON ({@link HeadModelHeader})
 *   long      payload length, then the payload: DJL's parameter serialisation of the model
 *   32 bytes  SHA-256 of everything before it
 * </pre>
 *
 * Reading checks, in order: magic, format version, checksum, header, backbone, weights; each
 * refusal is a {@link HeadModelException} whose message says what to do.
 */
public final class HeadModelFile {
  /** The format version this build writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private HeadModelFile() {}

  /** Writes {@code model} to {@code file} atomically (a temporary file, then a rename). */
  public static HeadModelHeader write(Path file, FusionModel model, SaveInfo info) {
    Objects.requireNonNull(file, "file");
    HeadModelHeader header = header(model, info);
    byte[] bytes = toBytes(header, model);
    try {
      Path tmp = AtomicFiles.tempSibling(file);
      try {
        Files.write(tmp, bytes);
        AtomicFiles.replace(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new HeadModelException(
          Reason.IO, "cannot write head model " + file + ": " + e.getMessage(), e);
    }
    return header;
  }

  /** The file's bytes for {@code model} (for writing somewhere other than a path). */
  public static byte[] toBytes(FusionModel model, SaveInfo info) {
    return toBytes(header(model, info), model);
  }

  /**
   * Reads a model saved for the backbone {@code expected}, its weights in {@code manager}.
   *
   * @throws HeadModelException when the file is not a head model, has another format version, is
   *     corrupt, or was trained on another backbone
   */
  public static LoadedHeadModel read(Path file, BackboneRef expected, NDManager manager) {
    Objects.requireNonNull(file, "file");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new HeadModelException(
          Reason.IO, "cannot read head model " + file + ": " + e.getMessage(), e);
    }
    return read(bytes, file.toString(), expected, manager);
  }

  /** As {@link #read(Path, BackboneRef, NDManager)}, from a stream named {@code name}. */
  public static LoadedHeadModel read(
      InputStream in, String name, BackboneRef expected, NDManager manager) {
    Objects.requireNonNull(in, "in");
    try {
      return read(in.readAllBytes(), name, expected, manager);
    } catch (IOException e) {
      throw new HeadModelException(
          Reason.IO, "cannot read head model " + name + ": " + e.getMessage(), e);
    }
  }

  /** The header of a head model file, checked but without loading weights or the backbone check. */
  public static HeadModelHeader readHeader(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return HeadModelCodec.decode(bytes, file.toString()).header();
    } catch (IOException e) {
      throw new HeadModelException(
          Reason.IO, "cannot read head model " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * As {@link #read(Path, BackboneRef, NDManager)}, from the bytes of a head model named {@code
   * name} (for messages), e.g. a record of a heads topic.
   */
  public static LoadedHeadModel read(
      byte[] bytes, String name, BackboneRef expected, NDManager manager) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(manager, "manager");
    HeadModelCodec.Decoded p = HeadModelCodec.decode(bytes, name);
    BackboneRef trained = p.header().backbone();
    if (!trained.equals(expected)) {
      throw new HeadModelException(
          Reason.BACKBONE_MISMATCH,
          "head model "
              + name
              + ": model was trained on backbone "
              + trained
              + ", not "
              + expected
              + "; serve it with backbone "
              + trained.id()
              + " or retrain the head on "
              + expected.id());
    }
    FusionModel model;
    try {
      model = p.header().newModel();
    } catch (IllegalArgumentException e) {
      throw new HeadModelException(
          Reason.INVALID,
          "head model " + name + " has an invalid header (" + e.getMessage() + "); retrain it",
          e);
    }
    try (DataInputStream in =
        new DataInputStream(
            new ByteArrayInputStream(bytes, p.payloadOffset(), p.payloadLength()))) {
      model.loadParameters(manager, in);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new HeadModelException(
          Reason.INVALID,
          "head model "
              + name
              + ": its weights do not fit the architecture in its header ("
              + e.getMessage()
              + "); the file was written by an incompatible build: retrain the head",
          e);
    }
    return new LoadedHeadModel(p.header(), model);
  }

  /**
   * The header of head model bytes named {@code name}, after checking magic, format version,
   * checksum and framing, without loading weights or checking the backbone.
   */
  public static HeadModelHeader readHeader(byte[] bytes, String name) {
    Objects.requireNonNull(bytes, "bytes");
    return HeadModelCodec.decode(bytes, name).header();
  }

  /** The header {@link #write} would store for {@code model}, checked the same way. */
  public static HeadModelHeader header(FusionModel model, SaveInfo info) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(info, "info");
    checkLabels("tokenLabels", info.tokenLabels().size(), model.tokenClassifier().orElse(null));
    checkLabels(
        "sequenceLabels", info.sequenceLabels().size(), model.sequenceClassifier().orElse(null));
    if (!model.isInitialized()) {
      throw new IllegalStateException("the model has no weights to save; initialise or train it");
    }
    FusionHead head = model.head();
    return new HeadModelHeader(
        FORMAT_VERSION,
        info.backbone(),
        head.backbone(),
        head.config(),
        info.tokenLabels(),
        info.sequenceLabels(),
        model.trainableParameters(),
        info.training(),
        info.metadata());
  }

  private static void checkLabels(String field, int labels, ClassifierBlock classifier) {
    int classes = classifier == null ? 0 : classifier.classes();
    if (labels != classes) {
      throw new IllegalArgumentException(
          field
              + " has "
              + labels
              + " labels but the model's classifier has "
              + classes
              + " classes; pass one label per class");
    }
  }

  private static byte[] toBytes(HeadModelHeader header, FusionModel model) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(payload)) {
        model.saveParameters(out);
      }
      return HeadModelCodec.encode(header, payload.toByteArray());
    } catch (IOException e) {
      throw new HeadModelException(Reason.IO, "cannot serialise the head model: " + e, e);
    }
  }
}
