package dev.strata.model.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a safetensors file by memory-mapping it: an 8-byte little-endian header length, a JSON
 * header (name → dtype, shape, data offsets, plus optional {@code __metadata__}), then the raw
 * tensors.
 *
 * <p>F32 tensors are zero-copy views of the mapping; F16 and BF16 are converted to float on each
 * read. Names are normalised to canonical Hugging Face BERT names ({@link
 * CanonicalNames#fromHuggingFace}); pooler, MLM-head and buffer tensors are left out. The whole
 * header is validated when the file is opened, so a corrupt file fails early with a {@link
 * WeightFileException} naming the file and the tensor.
 */
public final class SafetensorsReader implements TensorStore {
  /** Headers larger than this are rejected as corrupt (real headers are a few hundred KB). */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String source;
  private final MappedFile file;
  private final Map<String, Entry> entries;
  private final Map<String, String> metadata;

  private record Entry(
      String fileName, SafetensorsDType dtype, long[] shape, long begin, long end) {}

  private SafetensorsReader(
      String source, MappedFile file, Map<String, Entry> entries, Map<String, String> metadata) {
    this.source = source;
    this.file = file;
    this.entries = entries;
    this.metadata = metadata;
  }

  /**
   * Opens and validates a safetensors file.
   *
   * @throws WeightFileException if the file cannot be read or its header is inconsistent
   */
  public static SafetensorsReader open(Path path) {
    return open(path, Integer.MAX_VALUE);
  }

  /** As {@link #open(Path)}; files over {@code wholeLimit} bytes are mapped per tensor. */
  static SafetensorsReader open(Path path, long wholeLimit) {
    Objects.requireNonNull(path, "path");
    String source = path.toString();
    MappedFile file = MappedFile.open(path, wholeLimit);
    try {
      long size = file.size();
      if (size < 8) {
        throw new WeightFileException(
            source, null, "file has " + size + " bytes, too short for a safetensors header");
      }
      long headerLen = file.region(0, 8, null).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
      if (headerLen <= 0 || headerLen > size - 8 || headerLen > MAX_HEADER_BYTES) {
        throw new WeightFileException(
            source,
            null,
            "header length "
                + headerLen
                + " does not fit the file size "
                + size
                + ": the file is truncated or not a safetensors file; re-export or re-download it");
      }
      ByteBuffer headerBytes = file.region(8, headerLen, null);
      byte[] json = new byte[(int) headerLen];
      headerBytes.get(json);
      JsonNode header;
      try {
        header = JSON.readTree(json);
      } catch (IOException e) {
        throw new WeightFileException(
            source, null, "header is not valid JSON: " + e.getMessage(), e);
      }
      if (header == null || !header.isObject()) {
        throw new WeightFileException(source, null, "header is not a JSON object");
      }
      long dataStart = 8 + headerLen;
      long dataSize = size - dataStart;
      Map<String, String> metadata = new LinkedHashMap<>();
      Map<String, Entry> entries = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        if (f.getKey().equals("__metadata__")) {
          f.getValue()
              .fields()
              .forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
          continue;
        }
        Entry e = parseEntry(source, f.getKey(), f.getValue(), dataStart, dataSize);
        String canonical = CanonicalNames.fromHuggingFace(f.getKey());
        if (canonical == null) {
          continue;
        }
        Entry previous = entries.put(canonical, e);
        if (previous != null) {
          throw new WeightFileException(
              source,
              canonical,
              "both '"
                  + previous.fileName()
                  + "' and '"
                  + f.getKey()
                  + "' map to this canonical name; keep one of them");
        }
      }
      return new SafetensorsReader(
          source,
          file,
          Collections.unmodifiableMap(entries),
          Collections.unmodifiableMap(metadata));
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static Entry parseEntry(
      String source, String name, JsonNode node, long dataStart, long dataSize) {
    if (!node.isObject()) {
      throw new WeightFileException(source, name, "header entry is not a JSON object");
    }
    String dtypeText = node.path("dtype").asText(null);
    SafetensorsDType dtype = SafetensorsDType.parse(dtypeText);
    if (dtype == null) {
      throw new WeightFileException(
          source, name, "unknown dtype '" + dtypeText + "' (expected F32, F16, BF16, ...)");
    }
    JsonNode shapeNode = node.path("shape");
    JsonNode offsets = node.path("data_offsets");
    if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
      throw new WeightFileException(
          source, name, "header entry needs 'shape' (array) and 'data_offsets' ([begin, end])");
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.canConvertToLong() || d.asLong() < 0) {
        throw new WeightFileException(source, name, "invalid dimension " + d + " in shape");
      }
      shape[i] = d.asLong();
    }
    long begin = offsets.get(0).asLong(-1);
    long end = offsets.get(1).asLong(-1);
    if (begin < 0 || end < begin || end > dataSize) {
      throw new WeightFileException(
          source,
          name,
          "data offsets ["
              + begin
              + ", "
              + end
              + ") lie outside the data section of "
              + dataSize
              + " bytes (starting at byte "
              + dataStart
              + "): the file is truncated or corrupt");
    }
    long expected = Tensor.numel(shape) * dtype.bytes();
    if (end - begin != expected) {
      throw StoredTensors.wrongByteCount(source, name, end - begin, shape, dtype, expected);
    }
    return new Entry(name, dtype, shape, dataStart + begin, dataStart + end);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  /** The {@code __metadata__} of the header (empty if absent). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /** The stored element type of a tensor. */
  public SafetensorsDType dtype(String name) {
    return entry(name).dtype();
  }

  @Override
  public Tensor tensor(String name) {
    Entry e = entry(name);
    if (!e.dtype().readableAsFloat()) {
      throw new WeightFileException(
          source,
          name,
          "dtype "
              + e.dtype()
              + " cannot be read as float; export the weights as F32, F16 or BF16");
    }
    ByteBuffer bytes = file.region(e.begin(), e.end() - e.begin(), name);
    return new Tensor(name, e.shape(), e.dtype().toFloats(bytes));
  }

  @Override
  public Optional<ByteBuffer> float32Bytes(String name) {
    Entry e = entry(name);
    if (e.dtype() != SafetensorsDType.F32) {
      return Optional.empty();
    }
    return Optional.of(
        file.region(e.begin(), e.end() - e.begin(), name).order(ByteOrder.LITTLE_ENDIAN));
  }

  private Entry entry(String name) {
    return StoredTensors.entry(
        entries,
        source,
        name,
        "no such tensor (%d encoder tensors present); the checkpoint is incomplete or not a"
            + " BERT encoder");
  }

  @Override
  public void close() {
    file.close();
  }
}
