package dev.strata.model.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads sequence-classification files: one record per line, {@code label<TAB>text} (UTF-8). The
 * line is split at its first tab, so the text may contain further tabs. Blank lines are skipped. A
 * line without a tab, or with an empty label or text, is an error naming the file and line.
 */
public final class ClassifyTsvReader {

  private ClassifyTsvReader() {}

  /** Reads a UTF-8 file. */
  public static List<LabeledText> read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads from {@code in}, which is not closed.
   *
   * @param source the name used in error messages
   * @throws DataFileException naming the source and line of a malformed record
   */
  public static List<LabeledText> read(Reader in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
    List<LabeledText> out = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = br.readLine()) != null) {
      lineNo++;
      if (lineNo == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      if (tab < 0) {
        throw new DataFileException(
            source, lineNo, "no tab in line '" + abbreviate(line) + "': expected 'label<TAB>text'");
      }
      String label = line.substring(0, tab).strip();
      String text = line.substring(tab + 1).strip();
      if (label.isEmpty() || text.isEmpty()) {
        throw new DataFileException(
            source,
            lineNo,
            (label.isEmpty() ? "empty label" : "empty text")
                + " in line '"
                + abbreviate(line)
                + "': expected 'label<TAB>text', both non-empty");
      }
      out.add(new LabeledText(label, text));
    }
    return out;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
