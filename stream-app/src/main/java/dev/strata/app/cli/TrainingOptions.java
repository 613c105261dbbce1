package dev.strata.app.cli;

import dev.strata.model.train.TrainingConfig;
import picocli.CommandLine.Option;

/** Hyper-parameters of head training, shared by the training commands. */
final class TrainingOptions {
  @Option(
      names = "--lr",
      defaultValue = "1e-3",
      description = "Peak learning rate (AdamW). Default: ${DEFAULT-VALUE}.")
  float learningRate;

  @Option(
      names = "--weight-decay",
      defaultValue = "0.01",
      description = "Default: ${DEFAULT-VALUE}.")
  float weightDecay;

  @Option(
      names = "--warmup",
      defaultValue = "0.1",
      description =
          "Share of steps with a rising learning rate, then linear decay. Default: ${DEFAULT-VALUE}.")
  float warmup;

  @Option(
      names = "--batch-size",
      defaultValue = "32",
      description = "Sentences per step. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(names = "--epochs", defaultValue = "10", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--max-steps",
      defaultValue = "0",
      description = "Stop after this many steps (0 = epochs decide).")
  int maxSteps;

  @Option(
      names = "--eval-every",
      defaultValue = "50",
      description = "Dev evaluation interval in steps. Default: ${DEFAULT-VALUE}.")
  int evalEvery;

  @Option(
      names = "--patience",
      defaultValue = "5",
      description = "Evaluations without improvement before stopping. Default: ${DEFAULT-VALUE}.")
  int patience;

  TrainingConfig toConfig(int seed) {
    TrainingConfig.Builder b =
        TrainingConfig.builder()
            .optLearningRate(learningRate)
            .optWeightDecay(weightDecay)
            .optWarmupFraction(warmup)
            .optBatchSize(batchSize)
            .optEpochs(epochs)
            .optEvalEvery(evalEvery)
            .optPatience(patience)
            .optSeed(seed);
    if (maxSteps > 0) {
      b.optMaxSteps(maxSteps);
    }
    return b.build();
  }
}
