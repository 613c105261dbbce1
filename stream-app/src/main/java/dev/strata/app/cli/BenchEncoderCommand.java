package dev.strata.app.cli;

import dev.strata.model.backbone.BackboneSpec;
import dev.strata.model.backbone.Backbones;
import dev.strata.model.bench.EncoderBenchmark;
import dev.strata.model.encoder.EngineSettings;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata bench-encoder}: encoder throughput against ONNX Runtime, printed as a table. */
@Command(
    name = "bench-encoder",
    mixinStandardHelpOptions = true,
    description = {
      "Measure encoder throughput (sentences/s, tokens/s, GFLOP/s against a measured GEMM peak)",
      "at several batch sizes, side by side with ONNX Runtime on the same ONNX model, batches and",
      "thread count, in one run. Prints median [min-max] over repetitions."
    })
final class BenchEncoderCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--backbones",
      split = ",",
      description = "Backbones to measure. Default: all built-in.")
  List<String> backbones;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "1,8,32,64",
      description = "Default: ${DEFAULT-VALUE}.")
  int[] batchSizes;

  @Option(names = "--reps", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
  int reps;

  @Option(
      names = "--sentences",
      defaultValue = "64",
      description = "Sentences per repetition. Default: ${DEFAULT-VALUE}.")
  int sentences;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description = "Intra-op threads for both runtimes. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--no-ort", description = "Skip the ONNX Runtime comparison.")
  boolean noOrt;

  @Override
  public Integer call() {
    EngineSettings.threads(threads, 1);
    List<String> names =
        backbones != null
            ? backbones
            : Backbones.builtIn().stream().map(BackboneSpec::name).toList();
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "bench-encoder: %s, %d cores, java %s%n",
        java.time.LocalDate.now(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    EncoderBenchmark.run(
        new EncoderBenchmark.Options(names, batchSizes, reps, sentences, threads, !noOrt), out);
    return 0;
  }
}
