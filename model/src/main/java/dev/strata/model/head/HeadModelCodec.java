package dev.strata.model.head;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.head.HeadModelException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** The byte layout of {@link HeadModelFile}: framing, header JSON and checksum. */
final class HeadModelCodec {
  private static final byte[] MAGIC = "STRATAHM".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGEST_BYTES = 32;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private HeadModelCodec() {}

  /** A checked file: its header and where its payload lies. */
  record Decoded(HeadModelHeader header, int payloadOffset, int payloadLength) {}

  static byte[] encode(HeadModelHeader header, byte[] payload) throws IOException {
    byte[] json = JSON.writeValueAsBytes(header);
    ByteArrayOutputStream file = new ByteArrayOutputStream(payload.length + json.length + 64);
    try (DataOutputStream out = new DataOutputStream(file)) {
      out.write(MAGIC);
      out.writeInt(header.formatVersion());
      out.writeInt(json.length);
      out.write(json);
      out.writeLong(payload.length);
      out.write(payload);
    }
    byte[] body = file.toByteArray();
    byte[] all = Arrays.copyOf(body, body.length + DIGEST_BYTES);
    System.arraycopy(sha256(body, body.length), 0, all, body.length, DIGEST_BYTES);
    return all;
  }

  static Decoded decode(byte[] bytes, String name) {
    if (bytes.length < MAGIC.length + 4
        || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new HeadModelException(
          Reason.NOT_A_HEAD_MODEL,
          name
              + " is not a Strata head model file (no STRATAHM header); point to a file"
              + " written by the train command");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    buf.position(MAGIC.length);
    int version = buf.getInt();
    if (version != HeadModelFile.FORMAT_VERSION) {
      throw new HeadModelException(
          Reason.FORMAT_VERSION,
          "head model "
              + name
              + ": expected format version "
              + HeadModelFile.FORMAT_VERSION
              + ", got "
              + version
              + "; "
              + (version > HeadModelFile.FORMAT_VERSION
                  ? "upgrade Strata to a build that reads it"
                  : "retrain the head with this build"));
    }
    int bodyLength = bytes.length - DIGEST_BYTES;
    if (bodyLength < buf.position() + 4) {
      throw corrupt(name, "it is truncated");
    }
    byte[] digest = sha256(bytes, bodyLength);
    if (!Arrays.equals(digest, 0, DIGEST_BYTES, bytes, bodyLength, bytes.length)) {
      throw corrupt(
          name,
          "its SHA-256 is "
              + HexFormat.of().formatHex(digest)
              + " but the file records "
              + HexFormat.of().formatHex(bytes, bodyLength, bytes.length));
    }
    int headerLength = buf.getInt();
    if (headerLength < 0 || headerLength > bodyLength - buf.position() - 8) {
      throw corrupt(name, "its header length " + headerLength + " runs past the end");
    }
    HeadModelHeader header;
    try {
      header = JSON.readValue(bytes, buf.position(), headerLength, HeadModelHeader.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new HeadModelException(
          Reason.INVALID,
          "head model " + name + " has an unreadable header (" + e.getMessage() + ")",
          e);
    }
    buf.position(buf.position() + headerLength);
    long payload = buf.getLong();
    if (payload != bodyLength - buf.position()) {
      throw corrupt(name, "its payload length " + payload + " does not match the file size");
    }
    return new Decoded(header, buf.position(), (int) payload);
  }

  static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(bytes, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static HeadModelException corrupt(String name, String why) {
    return new HeadModelException(
        Reason.CORRUPT,
        "head model "
            + name
            + " is corrupt ("
            + why
            + "); copy it again from where it was published, or retrain");
  }
}
