package dev.strata.model.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the initializers of an ONNX model (a plain {@code .onnx} file, or the one {@code .onnx}
 * entry of a jar such as the langchain4j embedding jars) with a minimal protobuf reader.
 *
 * <p>Initializers with Hugging Face names map directly ({@link CanonicalNames#fromHuggingFace}).
 * The anonymous {@code onnx::MatMul_NNN} matrices are named after the MatMul node that consumes
 * them ({@link CanonicalNames#fromOnnxMatMulNode}) and transposed from {@code [in, out]} to {@code
 * [out, in]}. Weights stored as external data are rejected.
 */
public final class OnnxReader implements TensorStore {
  private static final int FLOAT = 1;
  private static final int EXTERNAL = 1;

  private final String source;
  private final MappedFile mapped;
  private final Map<String, Init> entries;

  /** One initializer: its bytes are either raw little-endian data or packed float_data. */
  private record Init(String onnxName, long[] dims, ByteBuffer data, boolean transpose) {}

  private OnnxReader(String source, MappedFile mapped, Map<String, Init> entries) {
    this.source = source;
    this.mapped = mapped;
    this.entries = entries;
  }

  /**
   * Opens a plain {@code .onnx} file (memory-mapped) or a jar holding exactly one {@code .onnx}
   * entry (read into memory, as jar entries are compressed).
   *
   * @throws WeightFileException if the model cannot be read or its encoder weights are unusable
   */
  public static OnnxReader open(Path path) {
    Objects.requireNonNull(path, "path");
    if (path.getFileName().toString().endsWith(".onnx")) {
      MappedFile f = MappedFile.open(path);
      try {
        return new OnnxReader(
            path.toString(), f, parse(path.toString(), f.region(0, f.size(), null)));
      } catch (RuntimeException e) {
        f.close();
        throw e;
      }
    }
    String entry = JarEntries.findOne(path, ".onnx");
    String source = path + "!" + entry;
    byte[] bytes = JarEntries.read(path, entry);
    return new OnnxReader(source, null, parse(source, ByteBuffer.wrap(bytes)));
  }

  private record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

  private static Map<String, Init> parse(String source, ByteBuffer model) {
    List<Node> nodes = new ArrayList<>();
    Map<String, RawInit> inits = new HashMap<>();
    try {
      ProtoReader m = new ProtoReader(model);
      boolean sawGraph = false;
      while (m.hasRemaining()) {
        int tag = m.readTag();
        if (ProtoReader.field(tag) != 7) {
          m.skip(tag);
          continue;
        }
        sawGraph = true;
        ProtoReader g = m.readMessage();
        while (g.hasRemaining()) {
          int gt = g.readTag();
          switch (ProtoReader.field(gt)) {
            case 1 -> nodes.add(parseNode(g.readMessage()));
            case 5 -> {
              RawInit r = parseInit(g.readMessage());
              inits.put(r.name, r);
            }
            default -> g.skip(gt);
          }
        }
      }
      if (!sawGraph) {
        throw new IllegalStateException("no graph (ModelProto field 7): not an ONNX model");
      }
    } catch (IllegalStateException e) {
      throw new WeightFileException(source, null, "corrupt ONNX model: " + e.getMessage(), e);
    }

    Map<String, String> matMulNames = new HashMap<>();
    for (Node n : nodes) {
      if (n.opType().equals("MatMul") && n.inputs().size() == 2) {
        String w = n.inputs().get(1);
        if (inits.containsKey(w)) {
          String nodeName =
              !n.name().isEmpty() || n.outputs().isEmpty() ? n.name() : n.outputs().get(0);
          String canonical = CanonicalNames.fromOnnxMatMulNode(nodeName);
          if (canonical != null) {
            matMulNames.put(w, canonical);
          }
        }
      }
    }

    Map<String, Init> out = new TreeMap<>();
    for (RawInit r : inits.values()) {
      String viaMatMul = matMulNames.get(r.name);
      String canonical = viaMatMul != null ? viaMatMul : CanonicalNames.fromHuggingFace(r.name);
      if (canonical == null) {
        continue;
      }
      if (r.external) {
        throw new WeightFileException(
            source,
            r.name,
            "stored as external data next to the model; use a model with embedded weights"
                + " (re-export without external data, or load the Hugging Face checkpoint)");
      }
      if (r.dataType != FLOAT) {
        throw new WeightFileException(
            source,
            r.name,
            "ONNX data type "
                + r.dataType
                + " is not float32 (1); quantized models are not usable");
      }
      ByteBuffer data = r.raw != null ? r.raw : r.floats;
      long n = Tensor.numel(r.dims);
      if (data == null || data.remaining() != n * 4) {
        throw StoredTensors.wrongByteCount(
            source, r.name, data == null ? 0 : data.remaining(), r.dims, "float32", n * 4);
      }
      boolean transpose = viaMatMul != null;
      if (transpose && r.dims.length != 2) {
        throw new WeightFileException(
            source, r.name, "MatMul weight has rank " + r.dims.length + ", expected [in, out]");
      }
      Init previous = out.put(canonical, new Init(r.name, r.dims, data, transpose));
      if (previous != null) {
        throw new WeightFileException(
            source,
            canonical,
            "both '" + previous.onnxName() + "' and '" + r.name + "' map to this canonical name");
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private static Node parseNode(ProtoReader r) {
    String name = "";
    String op = "";
    List<String> in = new ArrayList<>();
    List<String> outs = new ArrayList<>();
    while (r.hasRemaining()) {
      int tag = r.readTag();
      switch (ProtoReader.field(tag)) {
        case 1 -> in.add(r.readString());
        case 2 -> outs.add(r.readString());
        case 3 -> name = r.readString();
        case 4 -> op = r.readString();
        default -> r.skip(tag);
      }
    }
    return new Node(name, op, in, outs);
  }

  private static final class RawInit {
    String name = "";
    int dataType;
    long[] dims = new long[0];
    ByteBuffer raw;
    ByteBuffer floats;
    boolean external;
  }

  private static RawInit parseInit(ProtoReader r) {
    RawInit t = new RawInit();
    List<Long> dims = new ArrayList<>();
    List<Float> looseFloats = new ArrayList<>();
    while (r.hasRemaining()) {
      int tag = r.readTag();
      int wire = ProtoReader.wireType(tag);
      switch (ProtoReader.field(tag)) {
        case 1 -> {
          if (wire == ProtoReader.LENGTH_DELIMITED) {
            ProtoReader packed = r.readMessage();
            while (packed.hasRemaining()) {
              dims.add(packed.readVarint());
            }
          } else {
            dims.add(r.readVarint());
          }
        }
        case 2 -> t.dataType = (int) r.readVarint();
        case 4 -> {
          if (wire == ProtoReader.LENGTH_DELIMITED) {
            t.floats = r.readBytes();
          } else {
            looseFloats.add(Float.intBitsToFloat(r.readFixed32()));
          }
        }
        case 8 -> t.name = r.readString();
        case 9 -> t.raw = r.readBytes();
        case 13 -> {
          r.skip(tag);
          t.external = true;
        }
        case 14 -> t.external |= r.readVarint() == EXTERNAL;
        default -> r.skip(tag);
      }
    }
    t.dims = dims.stream().mapToLong(Long::longValue).toArray();
    if (!looseFloats.isEmpty()) {
      ByteBuffer b = ByteBuffer.allocate(4 * looseFloats.size()).order(ByteOrder.LITTLE_ENDIAN);
      looseFloats.forEach(b::putFloat);
      t.floats = b.flip();
    }
    return t;
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  /** The ONNX initializer name a canonical name was read from. */
  public String onnxName(String name) {
    return entry(name).onnxName();
  }

  @Override
  public Tensor tensor(String name) {
    Init e = entry(name);
    FloatBuffer floats = e.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    return e.transpose()
        ? StoredTensors.fromInOut(name, e.dims(), floats)
        : new Tensor(name, e.dims(), floats);
  }

  private Init entry(String name) {
    return StoredTensors.entry(
        entries, source, name, "no such tensor in the model (%d encoder tensors)");
  }

  @Override
  public void close() {
    if (mapped != null) {
      mapped.close();
    }
  }
}
