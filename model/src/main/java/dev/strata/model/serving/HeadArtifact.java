package dev.strata.model.serving;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.BackboneRef;
import dev.strata.model.head.HeadModelException;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.head.HeadType;
import dev.strata.model.ner.EntityTagger;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * An immutable serialized head: the bytes of the one-file head format ({@link HeadModelFile}:
 * magic, format version, JSON header, weights, SHA-256 of the whole). {@link #parse} checks the
 * framing, format version and checksum, so a parsed artifact is intact; whether it fits a backbone
 * is {@link #checkCompatible}.
 */
public final class HeadArtifact {
  private static final int DIGEST_BYTES = 32;

  private final byte[] bytes;
  private final HeadModelHeader header;
  private final String sha256;

  private HeadArtifact(byte[] bytes, HeadModelHeader header) {
    this.bytes = bytes;
    this.header = header;
    this.sha256 = HexFormat.of().formatHex(bytes, bytes.length - DIGEST_BYTES, bytes.length);
  }

  /**
   * Parses and checks head bytes (copied).
   *
   * @throws HeadModelException when they are not a head model, have another format version, are
   *     truncated or their checksum does not match
   */
  public static HeadArtifact parse(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    byte[] copy = bytes.clone();
    return new HeadArtifact(copy, HeadModelFile.readHeader(copy, "artifact"));
  }

  /** The artifact of bytes this process just wrote (e.g. a refined head); still checked. */
  static HeadArtifact ofTrusted(byte[] bytes) {
    return new HeadArtifact(bytes, HeadModelFile.readHeader(bytes, "artifact"));
  }

  /** A copy of the bytes (what goes on the heads topic). */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Size in bytes. */
  public int size() {
    return bytes.length;
  }

  /** The SHA-256 the file records (and {@link #parse} verified), lower-case hex. */
  public String sha256() {
    return sha256;
  }

  /** Everything the header says: head settings, labels, backbone, training, metadata. */
  public HeadModelHeader header() {
    return header;
  }

  /** The head type ({@code dwatt}, {@code last}, ...). */
  public HeadType headType() {
    return header.head().type();
  }

  /** Token labels (IOB2, empty without a token head). */
  public List<String> tokenLabels() {
    return header.tokenLabels();
  }

  /** Sequence labels (empty without a sequence head). */
  public List<String> sequenceLabels() {
    return header.sequenceLabels();
  }

  /** The backbone id and weight checksum the head was trained on. */
  public BackboneRef backbone() {
    return header.backbone();
  }

  /**
   * Checks that this head was trained on {@code backbone}'s weights and has its shape.
   *
   * @throws HeadModelException ({@code BACKBONE_MISMATCH}) naming both backbones and what to do
   */
  public void checkCompatible(LoadedBackbone backbone) {
    Objects.requireNonNull(backbone, "backbone");
    BackboneRef serving = EntityTagger.ref(backbone);
    if (!serving.equals(header.backbone())) {
      throw new HeadModelException(
          HeadModelException.Reason.BACKBONE_MISMATCH,
          "head artifact "
              + sha256.substring(0, 12)
              + " was trained on backbone "
              + header.backbone()
              + ", but this instance serves "
              + serving
              + "; retrain the head on "
              + serving.id()
              + " or run the instance with backbone "
              + header.backbone().id());
    }
    int states = backbone.encoder().config().layers() + 1;
    if (header.backboneShape().states() != states
        || header.backboneShape().hidden() != backbone.encoder().config().hidden()) {
      throw new HeadModelException(
          HeadModelException.Reason.BACKBONE_MISMATCH,
          "head artifact "
              + sha256.substring(0, 12)
              + " expects "
              + header.backboneShape()
              + " but the backbone has "
              + states
              + " states of width "
              + backbone.encoder().config().hidden()
              + "; retrain the head on this backbone");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeadArtifact a && Arrays.equals(bytes, a.bytes);
  }

  @Override
  public int hashCode() {
    return sha256.hashCode();
  }

  @Override
  public String toString() {
    return "HeadArtifact["
        + headType().id()
        + ", "
        + tokenLabels()
        + sequenceLabels()
        + ", sha256 "
        + sha256.substring(0, 12)
        + ", "
        + bytes.length
        + " bytes]";
  }
}
