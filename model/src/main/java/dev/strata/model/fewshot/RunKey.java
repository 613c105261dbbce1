package dev.strata.model.fewshot;

import java.util.Objects;

/**
 * What identifies a run of the sweep: a resumed sweep skips a key that is already in the log.
 *
 * @param backbone encoder name, e.g. {@code bert-base-cased}
 * @param data data set name, e.g. {@code conll2003}
 * @param head head name ({@code last}, {@code deeper}, {@code concat}, {@code dwatt}, ...)
 * @param k training sentences, {@link FewShotRun#FULL} for the full training set
 * @param seed sampling and initialisation seed
 */
public record RunKey(String backbone, String data, String head, int k, long seed) {

  public RunKey {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(head, "head");
  }

  @Override
  public String toString() {
    return backbone + "/" + data + " " + head + " k=" + Points.k(k) + " seed=" + seed;
  }
}
