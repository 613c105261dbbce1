package dev.strata.app.cli;

import dev.strata.model.encoder.EngineSettings;
import picocli.CommandLine.Option;

/**
 * Where the model runs: {@code --device} and {@code --threads}, shared by every command that loads
 * an encoder (as a mixin, or as the base of {@link EncoderOptions} and {@link ModelOptions}),
 * except {@code bench-encoder}, which measures both runtimes at one {@code --threads} count
 * (default 1).
 */
class DeviceOptions {
  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto (GPU when visible, else CPU), cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "Intra-op CPU threads; 0 = all cores. Default: ${DEFAULT-VALUE}.")
  int threads;

  /**
   * The intra-op thread count to use.
   *
   * @throws IllegalArgumentException when {@code --threads} is negative
   */
  int threadCount() {
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be 0 (all cores) or more, got " + threads);
    }
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** Applies the thread setting; call before the engine starts. */
  void applyThreads() {
    EngineSettings.threads(threadCount(), 1);
  }
}
