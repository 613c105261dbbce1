package dev.strata.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Log files of the processes the end-to-end tests start, under {@code target/it-logs}. */
final class ChildLogs {
  private static final int TAIL_LINES = 40;

  private ChildLogs() {}

  /** {@code target/it-logs/NAME.log} (absolute), its folder created. */
  static Path file(String name) throws IOException {
    Path log = Path.of("target", "it-logs", name + ".log").toAbsolutePath();
    Files.createDirectories(log.getParent());
    return log;
  }

  /** The last lines of {@code log}, for an assertion message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
