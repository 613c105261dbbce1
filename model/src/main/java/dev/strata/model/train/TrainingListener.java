package dev.strata.model.train;

import java.io.PrintStream;
import java.util.Objects;

/** Receives progress reports of a training run. */
@FunctionalInterface
public interface TrainingListener {

  /** Called after every evaluation (or every {@code evalEvery} steps without an evaluator). */
  void onProgress(TrainingProgress progress);

  /** Prints {@link TrainingProgress#line()} to {@code out}. */
  static TrainingListener printingTo(PrintStream out) {
    Objects.requireNonNull(out, "out");
    return p -> out.println(p.line());
  }

  /** Ignores all reports. */
  static TrainingListener none() {
    return p -> {};
  }
}
