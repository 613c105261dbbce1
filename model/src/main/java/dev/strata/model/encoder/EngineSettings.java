package dev.strata.model.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/**
 * Process-wide settings of the PyTorch engine. Thread counts are read by DJL once, when the engine
 * starts, and only from system properties: call {@link #threads} before anything touches DJL.
 */
public final class EngineSettings {
  static final String INTRA = "ai.djl.pytorch.num_threads";
  static final String INTER = "ai.djl.pytorch.num_interop_threads";

  private EngineSettings() {}

  /**
   * Sets intra-op and inter-op thread counts for this process unless the operator already set them
   * with {@code -D}.
   *
   * @param intraOp threads inside one op (matrix products); 1..available cores is sensible
   * @param interOp threads across independent ops; 1 is best for an encoder's sequential graph
   */
  public static void threads(int intraOp, int interOp) {
    if (intraOp < 1 || interOp < 1) {
      throw new IllegalArgumentException(
          "thread counts must be >= 1, got intra-op " + intraOp + ", inter-op " + interOp);
    }
    System.setProperty(INTRA, System.getProperty(INTRA, Integer.toString(intraOp)));
    System.setProperty(INTER, System.getProperty(INTER, Integer.toString(interOp)));
    System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
  }

  /** The intra-op thread count in force (after {@link #threads}, or DJL's default). */
  public static int intraOpThreads() {
    String v = System.getProperty(INTRA);
    return v == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(v);
  }

  /**
   * Resolves a device setting: {@code auto} (first GPU if the engine sees one, else CPU), {@code
   * cpu}, {@code gpu} or {@code gpu:N}.
   *
   * @throws IllegalArgumentException when the setting is none of these, or a GPU is requested that
   *     the engine does not see
   */
  public static Device device(String setting) {
    String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (s.equals("cpu")) {
      return Device.cpu();
    }
    if (s.equals("auto")) {
      return Engine.getEngine("PyTorch").defaultDevice();
    }
    int id = gpuIndex(s);
    if (id < 0) {
      throw new IllegalArgumentException(
          "unknown device '" + setting + "'; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
    }
    Engine engine = Engine.getEngine("PyTorch");
    if (engine.getGpuCount() <= id) {
      throw new IllegalArgumentException(
          "device '"
              + setting
              + "' requested but the PyTorch engine sees "
              + engine.getGpuCount()
              + " GPU(s); use --device cpu or auto, or install the CUDA build of libtorch"
              + " (see the README, section GPU)");
    }
    return Device.gpu(id);
  }

  /** The N of {@code gpu} (0) or {@code gpu:N}, or -1 when {@code s} is neither. */
  private static int gpuIndex(String s) {
    if (s.equals("gpu")) {
      return 0;
    }
    if (!s.startsWith("gpu:")) {
      return -1;
    }
    try {
      return Math.max(-1, Integer.parseInt(s.substring(4)));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
