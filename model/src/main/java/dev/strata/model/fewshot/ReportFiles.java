package dev.strata.model.fewshot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link FewShotReport#write} wrote.
 *
 * @param markdown the {@code results.md}
 * @param charts the PNG charts, in the order {@code results.md} shows them
 */
public record ReportFiles(Path markdown, List<Path> charts) {

  public ReportFiles {
    Objects.requireNonNull(markdown, "markdown");
    charts = List.copyOf(charts);
  }
}
