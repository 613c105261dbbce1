package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.model.head.HeadType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How the demo's default entity tagger is made: a {@code head} on the frozen {@code backbone},
 * trained on {@code trainSize} unique sentences of the data set's train split sampled with {@code
 * seed} (the same sample as {@code strata train --limit trainSize --seed seed}), early-stopped on
 * {@code devSize} sampled dev sentences. The cached file's name encodes every field, so a changed
 * recipe trains a new model instead of reusing a stale one.
 *
 * @param backbone backbone id, e.g. {@code bert-base-cased}
 * @param head head type id, e.g. {@code dwatt}
 * @param dataSet folder name of the CoNLL-format data set under the data directory
 * @param trainSize training sentences
 * @param devSize dev sentences for early stopping
 * @param seed sampling and initialisation seed
 * @param epochs passes over the training sample
 * @param evalEvery optimiser steps between dev evaluations
 */
public record DefaultModelRecipe(
    String backbone,
    String head,
    String dataSet,
    int trainSize,
    int devSize,
    int seed,
    int epochs,
    int evalEvery) {

  /** The recipe of {@code strata demo}'s default model; see the README for its measured scores. */
  public static final DefaultModelRecipe STANDARD =
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 500, 1, 2, 25);

  public DefaultModelRecipe {
    requireNonNull(backbone, "backbone");
    requireNonNull(head, "head");
    requireNonNull(dataSet, "dataSet");
    HeadType.parse(head);
    for (String part : new String[] {backbone, dataSet}) {
      if (part.isBlank() || !part.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "recipe names must be non-empty and use only letters, digits, '.', '_' and '-', got '"
                + part
                + "'");
      }
    }
    positive("trainSize", trainSize);
    positive("devSize", devSize);
    positive("epochs", epochs);
    positive("evalEvery", evalEvery);
  }

  /** The cached model's file name, e.g. {@code ner-bert-base-cased-dwatt-conll2003-...strata}. */
  public String fileName() {
    return String.format(
        Locale.ROOT,
        "ner-%s-%s-%s-train%d-dev%d-seed%d-ep%d-eval%d.strata",
        backbone,
        head,
        dataSet,
        trainSize,
        devSize,
        seed,
        epochs,
        evalEvery);
  }

  /** Where the model lives in the Strata cache: {@code <cache>/models/<fileName()>}. */
  public Path cachedFile(Path cacheDir) {
    return cacheDir.resolve("models").resolve(fileName());
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }
}
