package dev.strata.model.reference;

import dev.strata.model.backbone.WeightFormat;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Opens the reference runtime for a backbone's weight format: ONNX Runtime for {@link
 * WeightFormat#ONNX}, TensorFlow for {@link WeightFormat#TF_BUNDLE}.
 *
 * <p>This class itself needs neither library; they are loaded only when a runtime is opened, and
 * are on the classpath only of {@code ./strata verify-backbone}, the benchmark and the tests.
 */
public final class ReferenceRuntimes {

  static final String ONNX_RUNTIME_CLASS = "ai.onnxruntime.OrtEnvironment";
  static final String TENSORFLOW_CLASS = "org.tensorflow.SavedModelBundle";

  private ReferenceRuntimes() {}

  /**
   * Opens a reference encoder.
   *
   * @param format the weight format of the backbone
   * @param model the backbone's jar (or an {@code .onnx} file / SavedModel folder)
   * @param threads intra-op threads, at least 1
   * @param cacheDir where a TensorFlow SavedModel is unpacked; required for {@link
   *     WeightFormat#TF_BUNDLE}, unused otherwise (may be null)
   * @throws IllegalArgumentException if no reference runtime exists for the format
   * @throws IllegalStateException if the runtime's library is not on the classpath
   */
  public static ReferenceEncoder open(WeightFormat format, Path model, int threads, Path cacheDir) {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(model, "model");
    try {
      return switch (format) {
        case ONNX -> {
          requireLibrary(format, ONNX_RUNTIME_CLASS);
          yield openOnnx(model, threads);
        }
        case TF_BUNDLE -> {
          Objects.requireNonNull(cacheDir, "cacheDir");
          requireLibrary(format, TENSORFLOW_CLASS);
          yield openTensorFlow(model, threads, cacheDir);
        }
        case SAFETENSORS ->
            throw new IllegalArgumentException(
                "there is no reference runtime for "
                    + format
                    + " checkpoints; verify a built-in ONNX or TF_BUNDLE backbone instead");
      };
    } catch (NoClassDefFoundError e) {
      throw notOnClasspath(format, e.getMessage(), e);
    }
  }

  private static void requireLibrary(WeightFormat format, String className) {
    try {
      Class.forName(className, false, ReferenceRuntimes.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw notOnClasspath(format, className, e);
    }
  }

  private static IllegalStateException notOnClasspath(
      WeightFormat format, String missing, Throwable cause) {
    return new IllegalStateException(
        "the reference runtime for "
            + format
            + " is not on the classpath (missing "
            + missing
            + "): reference runtimes are only on the classpath of ./strata verify-backbone,"
            + " the benchmark and the tests; run one of those instead",
        cause);
  }

  // Kept in separate methods so that this class links without the runtime libraries.
  private static ReferenceEncoder openOnnx(Path model, int threads) {
    return new OnnxReference(model, threads);
  }

  private static ReferenceEncoder openTensorFlow(Path model, int threads, Path cacheDir) {
    return new TfReference(model, threads, cacheDir);
  }
}
