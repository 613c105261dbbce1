package dev.strata.app.cli;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.eval.EntityScores;
import dev.strata.model.ner.TagDecoding;
import dev.strata.model.ner.TaskTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata evaluate}: entity precision, recall and F1 per type and micro. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Score a model on a labelled CoNLL file with the conlleval conventions (exact span and"
            + " type; per type and micro P/R/F1).")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @Option(names = "--data", required = true, description = "Labelled CoNLL file.")
  Path data;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(names = "--cache-dir", description = "Where encoder states are cached.")
  Path cacheDir;

  @Option(
      names = "--decoding",
      defaultValue = "IOB2_VITERBI",
      description =
          "How word tags are read from label probabilities: ${COMPLETION-CANDIDATES}."
              + " Default: ${DEFAULT-VALUE}.")
  TagDecoding decoding;

  @Override
  public Integer call() throws IOException {
    modelOptions.requireModelFile();
    List<Sentence> sentences = ConllReader.create().read(data);
    PrintWriter out = spec.commandLine().getOut();
    try (ModelOptions.Opened m = modelOptions.open()) {
      m.tagger().setDecoding(decoding);
      EntityScores scores =
          TaskTraining.evaluate(
              m.tagger(),
              m.backbone(),
              sentences,
              cacheDir != null ? cacheDir : CheckpointLoader.defaultCacheDir(),
              json ? null : System.err);
      out.println(json ? scores.toJson() : scores.toTable());
      out.flush();
    }
    return 0;
  }
}
