package dev.strata.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.FeatureCache;
import dev.strata.model.data.Sentence;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.Entity;
import dev.strata.model.ner.FeatureCaches;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata predict}: tags for a CoNLL file, or entity spans of one text as JSON. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "With --data and --out: write 'token gold predicted' lines (CoNLL layout, a blank line"
          + " between sentences; gold is O when the file has no tags).",
      "With --text: print the entity spans as JSON (start/end character offsets, label, text,"
          + " score, layer weights) and the class when the model has a sequence head."
    })
final class PredictCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin ModelOptions modelOptions;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--text", required = true, description = "A text to annotate.")
    String text;

    @ArgGroup(exclusive = false)
    FileInput file;
  }

  static final class FileInput {
    @Option(names = "--data", required = true, description = "CoNLL file to tag.")
    Path data;

    @Option(names = "--out", required = true, description = "Where to write the predictions.")
    Path out;
  }

  @Option(names = "--cache-dir", description = "Where encoder states are cached.")
  Path cacheDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    try (ModelOptions.Opened m = modelOptions.open()) {
      if (input.text != null) {
        out.println(
            JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(toJson(input.text, m.tagger().annotate(input.text))));
      } else {
        List<Sentence> sentences = ConllReader.create().read(input.file.data);
        try (FeatureCache cache =
            FeatureCaches.open(
                m.backbone(),
                sentences,
                cacheDir != null ? cacheDir : CheckpointLoader.defaultCacheDir(),
                System.err)) {
          List<List<String>> predicted = m.tagger().predictTags(cache);
          writeConll(input.file.out, sentences, predicted);
        }
        out.printf("wrote %d sentences to %s%n", sentences.size(), input.file.out);
      }
      out.flush();
    }
    return 0;
  }

  private static void writeConll(Path file, List<Sentence> sentences, List<List<String>> predicted)
      throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < sentences.size(); i++) {
        Sentence s = sentences.get(i);
        for (int j = 0; j < s.size(); j++) {
          w.write(s.words().get(j));
          w.write(' ');
          w.write(s.labeled() ? s.tags().get(j) : "O");
          w.write(' ');
          w.write(predicted.get(i).get(j));
          w.newLine();
        }
        w.newLine();
      }
    }
  }

  static ObjectNode toJson(String text, Annotation a) {
    ObjectNode root = JSON.createObjectNode();
    root.put("text", text);
    ArrayNode entities = root.putArray("entities");
    for (Entity e : a.entities()) {
      ObjectNode n = entities.addObject();
      n.put("start", e.start());
      n.put("end", e.end());
      n.put("label", e.label());
      n.put("text", e.text());
      n.put("score", Math.round(e.score() * 10000) / 10000.0);
      ArrayNode lw = n.putArray("layer_weights");
      for (float f : e.layerWeights()) {
        lw.add(Math.round(f * 10000) / 10000.0);
      }
    }
    if (a.classLabel() != null) {
      ObjectNode c = root.putObject("class");
      c.put("label", a.classLabel());
      ObjectNode p = c.putObject("probabilities");
      for (Map.Entry<String, Float> e : a.classProbabilities().entrySet()) {
        p.put(e.getKey(), Math.round(e.getValue() * 10000) / 10000.0);
      }
    }
    root.put("windows", a.windows());
    return root;
  }
}
