package dev.strata.it;

import dev.strata.app.cli.StrataCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One {@code ./strata} command run in the test JVM.
 *
 * @param code its exit code
 * @param out what it printed, standard output and error interleaved
 */
record Cli(int code, String out) {
  static Cli run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = StrataCommand.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));
    int code = cmd.execute(args);
    return new Cli(code, out.toString());
  }

  /** {@code exit N}, a newline, then the output. */
  @Override
  public String toString() {
    return "exit " + code + "\n" + out;
  }
}
