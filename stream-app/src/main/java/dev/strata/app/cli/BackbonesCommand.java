package dev.strata.app.cli;

import dev.strata.model.backbone.BackboneSpec;
import dev.strata.model.backbone.Backbones;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code strata backbones}: what can be loaded, and from where. */
@Command(
    name = "backbones",
    mixinStandardHelpOptions = true,
    description = {
      "List the pretrained encoders Strata can load: layers, width, casing and source.",
      "Any Hugging Face BERT checkpoint folder can also be used as --backbone hf:FOLDER."
    })
final class BackbonesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String fmt = "%-18s %6s %6s %6s %-8s %-10s %s%n";
    out.printf(fmt, "NAME", "LAYERS", "WIDTH", "HEADS", "CASING", "FORMAT", "SOURCE (licence)");
    for (BackboneSpec b : Backbones.builtIn()) {
      out.printf(
          fmt,
          b.name(),
          b.layers(),
          b.hidden(),
          b.heads(),
          b.cased() ? "cased" : "uncased",
          b.format().name().toLowerCase(java.util.Locale.ROOT),
          "maven " + b.coordinates() + " (" + b.licence() + ")");
    }
    out.printf(
        fmt, "hf:FOLDER", "-", "-", "-", "-", "safetensors", "your Hugging Face checkpoint folder");
    out.flush();
    return 0;
  }
}
