package dev.strata.model.fewshot;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One point of a run's dev curve, stored in {@code runs.jsonl} as the pair {@code [step, f1]}.
 *
 * @param step optimiser steps done
 * @param f1 dev F1 after that many steps, a fraction in [0, 1]
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"step", "f1"})
public record HistoryPoint(int step, double f1) {

  public HistoryPoint {
    if (step < 0) {
      throw new IllegalArgumentException("history step " + step + " is negative");
    }
    FewShotRun.requireFraction("history dev F1", f1);
  }
}
