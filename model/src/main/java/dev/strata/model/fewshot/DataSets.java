package dev.strata.model.fewshot;

import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** The NER data sets the sweep knows by name, read from the shared data folder. */
public final class DataSets {

  /** Train, dev and test splits of one data set. */
  public record Splits(String name, List<Sentence> train, List<Sentence> dev, List<Sentence> test) {
    public Splits {
      Objects.requireNonNull(name, "name");
      train = List.copyOf(train);
      dev = List.copyOf(dev);
      test = List.copyOf(test);
    }
  }

  /** Known names and their folders under the data directory. */
  public static final List<String> KNOWN = List.of("conll2003", "wikiann-en");

  private DataSets() {}

  /**
   * Reads {@code dataDir/<name>/{train,dev,test}.txt}.
   *
   * @throws IllegalArgumentException for an unknown name or a missing folder, saying which
   */
  public static Splits load(String name, Path dataDir) throws IOException {
    String n = name.toLowerCase(Locale.ROOT);
    if (!KNOWN.contains(n)) {
      throw new IllegalArgumentException("unknown data set '" + name + "'; known: " + KNOWN);
    }
    Path folder = dataDir.resolve(n);
    if (!Files.isDirectory(folder)) {
      throw new IllegalArgumentException(
          "data folder "
              + folder.toAbsolutePath()
              + " does not exist; pass --data-dir (or set STRATA_DATA_DIR) to the folder that"
              + " holds "
              + n
              + "/train.txt, dev.txt and test.txt");
    }
    ConllReader reader = ConllReader.create();
    return new Splits(
        n,
        reader.read(folder.resolve("train.txt")),
        reader.read(folder.resolve("dev.txt")),
        reader.read(folder.resolve("test.txt")));
  }
}
