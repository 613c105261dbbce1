package dev.strata.model.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Writes float32 tensors to a safetensors file. Output is deterministic (metadata and tensors in
 * name order, header padded with spaces to a multiple of 8 bytes) and atomic: the file is written
 * under a temporary name in the same folder and renamed into place, so readers never see a partial
 * file.
 */
public final class SafetensorsWriter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK_FLOATS = 1 << 18;

  private SafetensorsWriter() {}

  /**
   * Writes the tensors (as F32, under their {@link Tensor#name()}) and string metadata.
   *
   * @return the SHA-256 (lower-case hex) of the written file
   * @throws UncheckedIOException if the file cannot be written
   * @throws IllegalArgumentException if two tensors share a name
   */
  public static String write(Path file, Collection<Tensor> tensors, Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(metadata, "metadata");
    Map<String, Tensor> byName = new TreeMap<>();
    Map<String, long[]> shapes = new TreeMap<>();
    for (Tensor t : tensors) {
      if (byName.put(t.name(), t) != null) {
        throw new IllegalArgumentException("two tensors are named '" + t.name() + "'");
      }
      shapes.put(t.name(), t.shape());
    }
    return write(file, shapes, byName::get, metadata);
  }

  /**
   * Writes tensors fetched one at a time, so a conversion never holds more than one tensor's copy
   * in memory. The header is built from {@code shapes}; each fetched tensor must match its entry.
   *
   * @param shapes name → shape of every tensor to write
   * @param fetch returns the tensor of a name (called once per name, in name order)
   * @return the SHA-256 (lower-case hex) of the written file
   * @throws UncheckedIOException if the file cannot be written
   * @throws IllegalArgumentException if a fetched tensor's shape differs from {@code shapes}
   */
  public static String write(
      Path file,
      Map<String, long[]> shapes,
      Function<String, Tensor> fetch,
      Map<String, String> metadata) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(shapes, "shapes");
    Objects.requireNonNull(fetch, "fetch");
    Objects.requireNonNull(metadata, "metadata");
    Map<String, long[]> sorted = new TreeMap<>(shapes);
    byte[] header = header(sorted, metadata);
    Path tmp = null;
    try {
      tmp = AtomicFiles.tempSibling(file);
      MessageDigest sha = sha256();
      try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(0, header.length);
        writeFully(out, len, sha);
        writeFully(out, ByteBuffer.wrap(header), sha);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, long[]> e : sorted.entrySet()) {
          Tensor t = fetch.apply(e.getKey());
          if (t == null || !Arrays.equals(t.shape(), e.getValue())) {
            throw new IllegalArgumentException(
                "tensor '"
                    + e.getKey()
                    + "' was declared with shape "
                    + Arrays.toString(e.getValue())
                    + " but "
                    + (t == null ? "is missing" : "has shape " + Arrays.toString(t.shape())));
          }
          FloatBuffer src = t.data().duplicate();
          while (src.hasRemaining()) {
            chunk.clear();
            FloatBuffer dst = chunk.asFloatBuffer();
            int n = Math.min(dst.remaining(), src.remaining());
            FloatBuffer part = src.slice();
            part.limit(n);
            dst.put(part);
            src.position(src.position() + n);
            chunk.limit(n * 4);
            writeFully(out, chunk, sha);
          }
        }
        out.force(true);
      }
      AtomicFiles.replace(tmp, file);
      tmp = null;
      return HexFormat.of().formatHex(sha.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write safetensors file " + file + ": " + e, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: a stray temp file does no harm
        }
      }
    }
  }

  private static byte[] header(Map<String, long[]> sorted, Map<String, String> metadata) {
    ObjectNode root = JSON.createObjectNode();
    if (!metadata.isEmpty()) {
      ObjectNode meta = root.putObject("__metadata__");
      new TreeMap<>(metadata).forEach(meta::put);
    }
    long offset = 0;
    for (Map.Entry<String, long[]> t : sorted.entrySet()) {
      ObjectNode e = root.putObject(t.getKey());
      e.put("dtype", "F32");
      ArrayNode shape = e.putArray("shape");
      for (long d : t.getValue()) {
        shape.add(d);
      }
      long end = offset + Tensor.numel(t.getValue()) * 4;
      e.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  private static void writeFully(FileChannel out, ByteBuffer buf, MessageDigest sha)
      throws IOException {
    sha.update(buf.duplicate());
    while (buf.hasRemaining()) {
      out.write(buf);
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
