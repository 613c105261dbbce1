package dev.strata.app.cli;

import dev.strata.app.demo.DefaultModel;
import dev.strata.app.demo.DefaultModelRecipe;
import dev.strata.app.demo.DemoException;
import dev.strata.app.demo.DemoSession;
import dev.strata.app.demo.LocalInfra;
import dev.strata.app.demo.SampleTexts;
import dev.strata.model.backbone.CheckpointLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata demo}: infrastructure, default model, sample texts in, annotations printed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Start the local Kafka and schema registry (unless running), the stream application with"
          + " the default model, feed sample news sentences and print each annotated record as it"
          + " arrives. Ctrl-C stops everything the demo started.",
      "The default model (BERT-base cased + dwatt head, CoNLL-03) is trained once into the cache"
          + " (STRATA_CACHE_DIR/models) when absent; --model uses any model from 'strata train'."
    })
final class DemoCommand implements Callable<Integer> {
  static final String HOME_PROPERTY = "strata.home";

  @Option(names = "--model", description = "Model file to use instead of the default model.")
  Path model;

  @Option(
      names = "--texts",
      description = "UTF-8 file with one text per line (# comments) instead of the bundled sample.")
  Path texts;

  @Option(names = "--once", description = "Feed each text once; exit when all came back.")
  boolean once;

  @Option(
      names = "--interval-ms",
      defaultValue = "800",
      description = "Milliseconds between two texts (10-60000). Default: ${DEFAULT-VALUE}.")
  long intervalMs;

  @Option(
      names = "--data-dir",
      description =
          "Folder with conll2003/train.txt and dev.txt, to train the default model. Default:"
              + " STRATA_DATA_DIR or ../shared/data next to the project.")
  Path dataDir;

  @Option(
      names = "--bootstrap-servers",
      description = "Use this running Kafka (with --schema-registry-url) instead of the local one.")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      description = "Confluent-compatible registry URL, with --bootstrap-servers.")
  String schemaRegistryUrl;

  @Mixin DeviceOptions deviceOptions;

  @Override
  public Integer call() throws IOException, InterruptedException {
    validate();
    PrintStream out = System.out;
    List<String> sample = texts == null ? SampleTexts.bundled() : SampleTexts.read(texts);
    deviceOptions.applyThreads();
    Path home = home();
    try {
      Path modelFile =
          model != null
              ? model
              : new DefaultModel(
                      DefaultModelRecipe.STANDARD,
                      CheckpointLoader.defaultCacheDir(),
                      dataDir != null ? dataDir : defaultDataDir(home))
                  .ensure(deviceOptions.device, out);
      DemoSession.Builder session =
          DemoSession.builder()
              .setModel(modelFile)
              .setTexts(sample)
              .optDevice(deviceOptions.device)
              .optInterval(Duration.ofMillis(intervalMs))
              .optOnce(once)
              .setStateParent(home.resolve("target").resolve("demo"))
              .setOut(out);
      if (bootstrapServers != null) {
        session.optEndpoints(new LocalInfra.Endpoints(bootstrapServers, schemaRegistryUrl));
      } else {
        session.optInfra(LocalInfra.of(home));
      }
      return session.build().run();
    } catch (DemoException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  /** Checks the options together; throws {@link IllegalArgumentException} naming the bad one. */
  void validate() {
    if (intervalMs < 10 || intervalMs > 60_000) {
      throw new IllegalArgumentException(
          "--interval-ms must be between 10 and 60000, got " + intervalMs);
    }
    if ((bootstrapServers == null) != (schemaRegistryUrl == null)) {
      throw new IllegalArgumentException(
          "--bootstrap-servers and --schema-registry-url go together; give both or neither");
    }
    if (model != null && !Files.isRegularFile(model)) {
      throw new IllegalArgumentException(
          "--model " + model + " is not a file; train one with 'strata train'");
    }
    if (texts != null && !Files.isRegularFile(texts)) {
      throw new IllegalArgumentException("--texts " + texts + " is not a file");
    }
    deviceOptions.threadCount(); // rejects a negative --threads
  }

  /** The project folder: {@code -Dstrata.home} (set by the launcher), else the current one. */
  static Path home() {
    String h = System.getProperty(HOME_PROPERTY);
    return h != null && !h.isBlank() ? Path.of(h) : Path.of("").toAbsolutePath();
  }

  static Path defaultDataDir(Path home) {
    String env = System.getenv("STRATA_DATA_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path parent = home.toAbsolutePath().normalize().getParent();
    return (parent != null ? parent : home).resolve("shared").resolve("data");
  }
}
