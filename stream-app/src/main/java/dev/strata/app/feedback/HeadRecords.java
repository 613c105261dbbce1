package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.HeadRecord;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/** Building and checking {@link HeadRecord}s (the heads-topic envelope). */
public final class HeadRecords {
  private HeadRecords() {}

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The head bytes of {@code r} (a copy). */
  public static byte[] bytes(HeadRecord r) {
    ByteBuffer b = r.getHeadBytes().duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  /** A new record for {@code bytes}, its checksum computed here. */
  public static HeadRecord.Builder builder(
      String name, long version, String backbone, Instant created, byte[] bytes) {
    requireNonNull(bytes, "bytes");
    return HeadRecord.newBuilder()
        .setName(requireNonNull(name, "name"))
        .setVersion(version)
        .setBackbone(requireNonNull(backbone, "backbone"))
        .setCreatedTime(requireNonNull(created, "created"))
        .setSha256(sha256(bytes))
        .setHeadBytes(ByteBuffer.wrap(bytes.clone()));
  }

  /**
   * Checks a record read under {@code key}: key and fields agree, and the bytes match the checksum.
   *
   * @throws HeadRecordException with {@link SwapOutcome#REJECTED_MALFORMED} or {@link
   *     SwapOutcome#REJECTED_CORRUPT}
   */
  public static void verify(HeadsTopic.Key key, HeadRecord r) {
    if (!key.name().equals(r.getName())) {
      throw new HeadRecordException(
          SwapOutcome.REJECTED_MALFORMED,
          "record under key '" + key + "' names head '" + r.getName() + "'");
    }
    if (r.getVersion() < 1 || (!key.pointer() && key.version() != r.getVersion())) {
      throw new HeadRecordException(
          SwapOutcome.REJECTED_MALFORMED,
          "record under key '" + key + "' has version " + r.getVersion());
    }
    String actual = sha256(bytes(r));
    if (!actual.equalsIgnoreCase(r.getSha256())) {
      throw new HeadRecordException(
          SwapOutcome.REJECTED_CORRUPT,
          "head "
              + key
              + " v"
              + r.getVersion()
              + ": its bytes hash to "
              + actual
              + " but the record says "
              + r.getSha256()
              + "; the record is corrupt. Republish the version (strata heads rollback) or"
              + " retrain.");
    }
  }

  /** {@code name v3 (sha 1a2b3c4d5e6f)} for logs. */
  public static String describe(HeadRecord r) {
    String sha = r.getSha256();
    return r.getName()
        + " v"
        + r.getVersion()
        + " (sha "
        + sha.substring(0, Math.min(12, sha.length()))
        + ")";
  }
}
