package dev.strata.app.bench;

import static java.util.Objects.requireNonNull;

import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The texts a benchmark feeds: real sentences, cycled when more records than texts are asked for.
 *
 * @param texts at least one non-blank text
 * @param description where they came from, for the report
 */
public record BenchTexts(List<String> texts, String description) {
  public BenchTexts {
    texts = List.copyOf(requireNonNull(texts, "texts"));
    requireNonNull(description, "description");
    if (texts.isEmpty()) {
      throw new IllegalArgumentException("no texts to benchmark with (" + description + ")");
    }
  }

  /** The {@code i}-th record's text, cycling. */
  public String text(int i) {
    return texts.get(i % texts.size());
  }

  /**
   * The sentences of a CoNLL file, detokenised.
   *
   * @throws IllegalArgumentException when the file is missing, naming the ways to provide it
   */
  public static BenchTexts conll(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "CoNLL-03 test sentences not found at "
              + file.toAbsolutePath().normalize()
              + ": place the shared data next to the project (../shared/data/conll2003/test.txt),"
              + " set STRATA_DATA_DIR or pass --data-dir, or give your own texts with --texts FILE"
              + " (one per line)");
    }
    List<Sentence> sentences = ConllReader.create().read(file);
    return new BenchTexts(
        sentences.stream().map(s -> Detokenizer.join(s.words())).toList(),
        sentences.size() + " sentences of " + file.getFileName() + " (CoNLL, detokenised)");
  }

  /** Non-blank lines of a UTF-8 file, one text each. */
  public static BenchTexts lines(Path file) throws IOException {
    List<String> lines =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank())
            .toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(
          "--texts " + file + " holds no non-blank line; put one text per line");
    }
    return new BenchTexts(lines, lines.size() + " texts of " + file.getFileName());
  }
}
