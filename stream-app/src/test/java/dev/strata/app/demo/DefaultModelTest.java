package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe's naming and the cache/data decisions; training itself is exercised by hand. */
class DefaultModelTest {
  private static final DefaultModelRecipe R = DefaultModelRecipe.STANDARD;

  @Test
  void fileNameEncodesEveryRecipeField() {
    assertThat(R.fileName())
        .isEqualTo(
            "ner-bert-base-cased-dwatt-conll2003-train"
                + R.trainSize()
                + "-dev"
                + R.devSize()
                + "-seed"
                + R.seed()
                + "-ep"
                + R.epochs()
                + "-eval"
                + R.evalEvery()
                + ".strata");
    DefaultModelRecipe[] variants = {
      new DefaultModelRecipe("bert-base-uncased", "dwatt", "conll2003", 2000, 800, 1, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "concat", "conll2003", 2000, 800, 1, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "wikiann-en", 2000, 800, 1, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2001, 800, 1, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 801, 1, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 800, 2, 3, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 800, 1, 4, 25),
      new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 800, 1, 3, 26)
    };
    assertThat(variants)
        .extracting(DefaultModelRecipe::fileName)
        .doesNotHaveDuplicates()
        .doesNotContain(
            new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 2000, 800, 1, 3, 25)
                .fileName());
  }

  @Test
  void theModelLivesUnderModelsInTheCache(@TempDir Path cache) {
    assertThat(R.cachedFile(cache)).isEqualTo(cache.resolve("models").resolve(R.fileName()));
  }

  @Test
  void badRecipesAreRefusedNamingTheField() {
    assertThatThrownBy(
            () -> new DefaultModelRecipe("bert-base-cased", "dwatt", "conll2003", 0, 800, 1, 3, 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trainSize");
    assertThatThrownBy(
            () -> new DefaultModelRecipe("../x", "dwatt", "conll2003", 10, 800, 1, 3, 25))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("../x");
    assertThatThrownBy(
            () -> new DefaultModelRecipe("bert-base-cased", "wide", "conll2003", 10, 8, 1, 3, 25))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCachedModelIsUsedWithoutLookingForData(@TempDir Path cache) throws Exception {
    Path file = R.cachedFile(cache);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "stands in for a model");
    DefaultModel m = new DefaultModel(R, cache, cache.resolve("no-data-here"));
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    assertThat(m.ensure("cpu", new PrintStream(log, true, StandardCharsets.UTF_8))).isEqualTo(file);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("(cached)");
  }

  @Test
  void withoutModelOrDataOneLineSaysWhereToPutTheDataOrToPassModel(@TempDir Path dir) {
    DefaultModel m = new DefaultModel(R, dir.resolve("cache"), dir.resolve("data"));
    assertThat(m.isCached()).isFalse();
    assertThatThrownBy(() -> m.ensure("cpu", new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(DemoException.class)
        .hasMessageContaining(dir.resolve("data").resolve("conll2003").toString())
        .hasMessageContaining("train.txt and dev.txt")
        .hasMessageContaining("--model FILE")
        .hasMessageNotContaining("\n");
  }
}
