package dev.strata.app.cli;

import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./strata} command line: one subcommand per task. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = StrataCommand.Version.class,
    description = "Streaming entity tagging with layer-fusion heads over a pretrained encoder.",
    footer = {
      "",
      "The launcher also runs:",
      "  test                     build and run all tests on a local Kafka + registry",
      "  infra start|stop|status  the local Kafka broker and schema registry",
      "  image [--backbones A,B]  the container image, built without Docker (as root)"
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      DemoCommand.class,
      BackbonesCommand.class,
      VerifyBackboneCommand.class,
      EncodeCommand.class,
      BenchEncoderCommand.class,
      BenchStreamCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      FewshotCommand.class,
      RunCommand.class,
      FeedbackCommand.class,
      HeadsCommand.class,
      TopicsCommand.class,
      StreamEvalCommand.class
    })
public final class StrataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Set to {@code true} by the container image's entrypoint ({@code deploy/container}). */
  static final String IMAGE_PROPERTY = "strata.image";

  /**
   * Commands whose libraries the launcher adds to the class path and the image leaves out, with
   * what they need: in the image they are hidden from the help and refused with that reason.
   */
  static final Map<String, String> NOT_IN_IMAGE =
      new TreeMap<>(
          Map.of(
              "verify-backbone", "the reference runtimes (ONNX Runtime, TensorFlow)",
              "bench-encoder", "the reference runtimes (ONNX Runtime)",
              "bench-stream", "Kafka Streams' test utilities"));

  private static final String[] IMAGE_FOOTER = {
    "",
    "In the container image: mount the configuration and the model, then e.g.",
    "  run --config /etc/strata/strata.properties",
    "(README, section \"Container image\"). Not in the image: "
        + String.join(", ", NOT_IN_IMAGE.keySet())
        + ",",
    "and the launcher's test, infra and image; run them from a checkout with ./strata."
  };

  /** Entry point used by the launcher script. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A command line wired with Strata's error handling (tests call {@code execute} on it). */
  public static CommandLine newCommandLine() {
    return newCommandLine(Boolean.getBoolean(IMAGE_PROPERTY));
  }

  /**
   * @param inImage true in the container image, whose entrypoint has none of the launcher's own
   *     commands: the help footer then says how the image is used instead of listing them
   */
  static CommandLine newCommandLine(boolean inImage) {
    CommandLine cl = new CommandLine(new StrataCommand());
    if (inImage) {
      cl.getCommandSpec().usageMessage().footer(IMAGE_FOOTER);
      NOT_IN_IMAGE
          .keySet()
          .forEach(
              name -> cl.getSubcommands().get(name).getCommandSpec().usageMessage().hidden(true));
      cl.setExecutionStrategy(StrataCommand::refuseWhatTheImageLacks);
    }
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (isUserError(ex)) {
            commandLine.getErr().println("error: " + describe(ex));
            return 2;
          }
          throw ex;
        });
    return cl;
  }

  private static int refuseWhatTheImageLacks(CommandLine.ParseResult parsed) {
    CommandLine.ParseResult sub = parsed.subcommand();
    String name = sub == null ? null : sub.commandSpec().name();
    if (name != null && NOT_IN_IMAGE.containsKey(name)) {
      parsed
          .commandSpec()
          .commandLine()
          .getErr()
          .println(
              "error: "
                  + name
                  + " is not in the container image: it needs "
                  + NOT_IN_IMAGE.get(name)
                  + ", which the image leaves out; run it from a checkout: ./strata "
                  + name
                  + " ...");
      return 2;
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /**
   * Errors the operator can fix (bad arguments, missing or corrupt files): printed as one line,
   * exit code 2. Anything else is a bug and keeps its stack trace.
   */
  static boolean isUserError(Exception ex) {
    return ex instanceof IllegalArgumentException
        || ex instanceof UserFacingException
        || ex instanceof dev.strata.app.stream.AppTopics.TopicsException
        || ex instanceof dev.strata.app.feedback.HeadsTopic.HeadsTopicException
        || ex instanceof org.apache.kafka.common.errors.TimeoutException
        || ex instanceof org.apache.kafka.common.config.ConfigException
        || ex instanceof java.io.IOException
        || ex instanceof java.io.UncheckedIOException
        || ex instanceof dev.strata.model.weights.WeightFileException
        || ex instanceof dev.strata.model.data.DataFileException
        || ex instanceof dev.strata.model.head.HeadModelException
        || ex instanceof dev.strata.model.backbone.ArtifactResolutionException;
  }

  static String describe(Exception ex) {
    Throwable io = ex instanceof java.io.UncheckedIOException u ? u.getCause() : ex;
    if (io instanceof java.nio.file.NoSuchFileException e) {
      return "file not found: " + e.getFile();
    }
    if (io instanceof java.nio.file.AccessDeniedException e) {
      return "permission denied: "
          + e.getFile()
          + " (strata runs as user '"
          + System.getProperty("user.name")
          + "'; let that user read the files it loads, e.g. chmod a+r for a model file, and own"
          + " the folders it writes, e.g. chown for the state, cache or volume folder)";
    }
    if (io instanceof java.nio.file.FileSystemException e && e.getReason() != null) {
      return "cannot use "
          + (e.getFile() == null ? "a file" : e.getFile())
          + ": "
          + e.getReason()
          + (e.getReason().contains("Read-only")
              ? " (point streams.state.dir and STRATA_CACHE_DIR at a writable folder or volume)"
              : "");
    }
    if (ex instanceof dev.strata.model.backbone.ArtifactResolutionException
        && Boolean.getBoolean(IMAGE_PROPERTY)) {
      return "this container image does not carry the weights needed: "
          + ex.getMessage()
          + " Build an image with that backbone (./strata image --backbones NAME) or mount the"
          + " jar at the path named above.";
    }
    if (ex instanceof org.apache.kafka.common.config.ConfigException) {
      return "invalid Kafka setting: "
          + ex.getMessage()
          + " (Kafka Streams and client settings come from the streams.* keys and their"
          + " STRATA_STREAMS_* variables)";
    }
    if (ex instanceof org.apache.kafka.common.errors.TimeoutException) {
      return "Kafka did not answer in time ("
          + ex.getMessage()
          + "); check bootstrap.servers (and the streams.* security settings) and that the broker"
          + " runs (./strata infra status for the local one)";
    }
    return ex.getMessage();
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = StrataCommand.class.getPackage().getImplementationVersion();
      return new String[] {"strata " + (v == null ? "(development build)" : v)};
    }
  }
}
