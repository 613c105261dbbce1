package dev.strata.app.cli;

import dev.strata.app.feedback.HeadRefiner;
import dev.strata.app.feedback.SwappableAnnotator;
import dev.strata.app.model.ModelFeedbackValidator;
import dev.strata.app.model.ModelHeadRefiner;
import dev.strata.app.model.ServingModelSnapshot;
import dev.strata.app.stream.AppTopics;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.feedback.RefineSettings;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServingModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code strata run}: the streaming application, until stopped by a signal or a fatal error. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Annotate texts from the input topic into the output topic until stopped (Ctrl-C / SIGTERM"
          + " close it cleanly); store feedback, retrain the heads this instance owns and swap in"
          + " the heads published on the heads topic.",
      "Settings come from the --config properties file; STRATA_<KEY> environment variables"
          + " override them (e.g. STRATA_BATCH_MAX_RECORDS).",
      "The input and feedback topics must exist ('strata topics create' makes them)."
    })
final class RunCommand implements Callable<Integer> {
  @Mixin ConfigOption config;

  @Mixin DeviceOptions deviceOptions;

  @Override
  public Integer call() throws InterruptedException, IOException {
    StrataConfig settings = config.load();
    Path modelFile = settings.modelPath();
    if (!Files.isRegularFile(modelFile)) {
      throw new IllegalArgumentException(
          "model.path " + modelFile + " is not a file; train one with 'strata train'");
    }
    HeadArtifact base = HeadArtifact.parse(Files.readAllBytes(modelFile));
    String backboneId = base.backbone().id();
    String expected = settings.modelBackbone();
    if (!expected.isEmpty() && !expected.equals(backboneId)) {
      throw new IllegalArgumentException(
          "model.backbone is '"
              + expected
              + "' but "
              + modelFile
              + " was trained on '"
              + backboneId
              + "'; point model.path at a model for that backbone, or clear model.backbone");
    }
    if (settings.refineBaseData() != null && !Files.isRegularFile(settings.refineBaseData())) {
      throw new IllegalArgumentException(
          "refine.base.data "
              + settings.refineBaseData()
              + " is not a file; point it at the CoNLL file the model.path head was trained on,"
              + " or leave it empty for no replay");
    }
    // Kafka Streams would stop later with an error that names neither the topic nor its key.
    try (Admin admin = AppTopics.admin(settings, settings.applicationId() + "-preflight")) {
      AppTopics.requireSources(admin, settings);
    }
    List<Sentence> baseSample = List.of();
    if (settings.refineBaseData() != null) {
      baseSample = ConllReader.create().read(settings.refineBaseData());
    }
    deviceOptions.applyThreads();
    LoadedBackbone backbone = LoadedBackbone.open(backboneId, deviceOptions.device);
    boolean freeModel = true;
    try {
      String name = settings.modelHeadName();
      ServingModel initial =
          ServingModel.empty(backbone)
              .withHead(name, "file:" + base.sha256().substring(0, 12), base);
      SwappableAnnotator annotator = new SwappableAnnotator(new ServingModelSnapshot(initial));
      HeadRefiner refiner =
          settings.retrainEnabled()
              ? new ModelHeadRefiner(
                  backbone,
                  RefineSettings.builder()
                      .optMargin(settings.refineMargin())
                      .setCacheDir(CheckpointLoader.defaultCacheDir())
                      .build(),
                  Map.of(name, base),
                  baseSample.isEmpty() ? Map.of() : Map.of(name, baseSample))
              : null;
      StrataApp app =
          StrataApp.start(
              settings,
              annotator,
              new StrataApp.FeedbackParts(new ModelFeedbackValidator(), refiner));
      Thread hook = new Thread(app::close, "strata-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      boolean clean;
      try {
        clean = app.awaitTermination();
        app.close();
      } finally {
        if (app.threadsStopped()) {
          ((ServingModelSnapshot) annotator.current()).model().close();
        }
      }
      if (!app.threadsStopped()) {
        // A thread may still run a batch or a refinement on the model: freeing its native memory
        // now could crash the JVM. Exit and let the process end reclaim it.
        freeModel = false;
        System.err.println(
            "strata run: a stream, retrainer or watcher thread did not stop in time; exiting"
                + " without freeing the model");
        return clean ? 0 : 1;
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run; nothing left to do.
      }
      return clean ? 0 : 1;
    } finally {
      if (freeModel) {
        backbone.close();
      }
    }
  }
}
