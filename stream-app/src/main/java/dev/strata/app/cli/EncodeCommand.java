package dev.strata.app.cli;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata encode}: tokens, alignment and per-layer norms for one text. */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Tokenise a text and run it through the encoder. Prints every sub-token with its id, word id",
      "and character offsets, then the L2 norm of each token's hidden state at every layer",
      "(L0 = embedding output)."
    })
final class EncodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin EncoderOptions encoderOptions;

  @Option(names = "--text", required = true, description = "The text to encode.")
  String text;

  @Option(
      names = "--max-tokens",
      defaultValue = "0",
      description = "Length limit per window incl. [CLS]/[SEP]; 0 = the encoder's positions.")
  int maxTokens;

  @Option(
      names = "--overflow",
      defaultValue = "SPLIT",
      description =
          "What to do with longer texts: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  OverflowPolicy overflow;

  @Override
  public Integer call() {
    encoderOptions.applyThreads();
    PrintWriter out = spec.commandLine().getOut();
    try (LoadedBackbone bb = LoadedBackbone.open(encoderOptions.backbone, encoderOptions.device)) {
      int limit = maxTokens > 0 ? maxTokens : bb.encoder().config().maxPositions();
      Encoding full = bb.tokenizer().encode(text);
      List<Encoding> windows = bb.tokenizer().fit(full, limit, overflow);
      out.printf(
          "backbone %s (%d layers x %d, %s) on %s, loaded in %d ms%n",
          bb.spec().name(),
          bb.encoder().config().layers(),
          bb.encoder().config().hidden(),
          bb.tokenizer().lowercase() ? "uncased" : "cased",
          bb.encoder().device(),
          bb.loadMillis());
      out.printf("%d sub-tokens, %d words", full.length(), full.wordCount());
      if (windows.size() > 1) {
        out.printf(", split into %d windows of at most %d tokens", windows.size(), limit);
      }
      int dropped = windows.stream().mapToInt(Encoding::droppedTokens).sum();
      if (dropped > 0) {
        out.printf(", TRUNCATED: %d sub-tokens dropped (limit %d)", dropped, limit);
      }
      out.println();
      for (int w = 0; w < windows.size(); w++) {
        if (windows.size() > 1) {
          out.printf("%n-- window %d --%n", w + 1);
        }
        printWindow(out, bb, windows.get(w));
      }
      out.flush();
    }
    return 0;
  }

  private void printWindow(PrintWriter out, LoadedBackbone bb, Encoding e) {
    try (HiddenStates hs = bb.encoder().forward(TokenBatch.of(List.of(e)))) {
      int states = hs.count();
      float[][] norms = hs.tokenNorms(0);
      out.printf("%4s %-16s %6s %5s %-11s %-16s", "#", "TOKEN", "ID", "WORD", "CHARS", "SURFACE");
      for (int n = 0; n < states; n++) {
        out.printf(" %6s", "L" + n);
      }
      out.println();
      for (int i = 0; i < e.length(); i++) {
        boolean special = e.wordIds()[i] < 0;
        String chars = special ? "-" : e.starts()[i] + "-" + e.ends()[i];
        String surface =
            special ? "" : text.substring(e.starts()[i], e.ends()[i]).replaceAll("\\s", " ");
        out.printf(
            "%4d %-16s %6d %5s %-11s %-16s",
            i,
            clip(e.tokens()[i]),
            e.ids()[i],
            special ? "-" : Integer.toString(e.wordIds()[i]),
            chars,
            clip(surface));
        for (int n = 0; n < states; n++) {
          out.printf(" %6.2f", norms[n][i]);
        }
        out.println();
      }
    }
  }

  private static String clip(String s) {
    return s.length() <= 16 ? s : s.substring(0, 15) + "…";
  }
}
