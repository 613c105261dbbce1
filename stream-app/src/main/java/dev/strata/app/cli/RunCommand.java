package dev.strata.app.cli;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata run}: the streaming application, until stopped by a signal or a fatal error. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Annotate texts from the input topic into the output topic until stopped (Ctrl-C / SIGTERM"
          + " close it cleanly).",
      "Settings come from the --config properties file; STRATA_<KEY> environment variables"
          + " override them (e.g. STRATA_BATCH_MAX_RECORDS)."
    })
final class RunCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Properties file with the settings.")
  Path config;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N. Default: ${DEFAULT-VALUE}.")
  String device;

  @Override
  public Integer call() throws InterruptedException {
    StrataConfig settings;
    try {
      settings = StrataConfig.load(config, System.getenv());
    } catch (ConfigException e) {
      throw new UserFacingException("invalid configuration: " + e.getMessage(), e);
    }
    try (EntityTaggerAnnotator annotator =
        EntityTaggerAnnotator.open(settings.modelPath(), settings.modelBackbone(), device)) {
      StrataApp app = StrataApp.start(settings, annotator);
      Thread hook = new Thread(app::close, "strata-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      boolean clean = app.awaitTermination();
      app.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run; nothing left to do.
      }
      return clean ? 0 : 1;
    }
  }
}
