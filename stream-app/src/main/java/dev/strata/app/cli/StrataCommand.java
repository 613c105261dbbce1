package dev.strata.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./strata} command line: one subcommand per task. */
@Command(
    name = "strata",
    mixinStandardHelpOptions = true,
    versionProvider = StrataCommand.Version.class,
    description = "Streaming entity tagging with layer-fusion heads over a pretrained encoder.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BackbonesCommand.class,
      VerifyBackboneCommand.class,
      EncodeCommand.class,
      BenchEncoderCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      PredictCommand.class,
      FewshotCommand.class,
      RunCommand.class
    })
public final class StrataCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Entry point used by the launcher script. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** A command line wired with Strata's error handling (tests call {@code execute} on it). */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new StrataCommand());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof IllegalArgumentException || ex instanceof UserFacingException) {
            commandLine.getErr().println("error: " + ex.getMessage());
            return 2;
          }
          throw ex;
        });
    return cl;
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
