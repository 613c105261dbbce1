package dev.strata.app.cli;

import dev.strata.model.encoder.EngineSettings;
import picocli.CommandLine.Option;

/** Options shared by the commands that run an encoder. */
final class EncoderOptions {
  @Option(
      names = "--backbone",
      defaultValue = "bert-base-cased",
      description =
          "Backbone name (see 'strata backbones') or hf:FOLDER. Default: ${DEFAULT-VALUE}.")
  String backbone;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description =
          "auto (GPU when visible, else CPU), cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description =
          "Intra-op CPU threads for the encoder; 0 = all cores. Default: ${DEFAULT-VALUE}.")
  int threads;

  /** The intra-op thread count to use. */
  int threadCount() {
    return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
  }

  /** Applies the thread setting; call before the engine starts. */
  void applyThreads() {
    EngineSettings.threads(threadCount(), 1);
  }
}
