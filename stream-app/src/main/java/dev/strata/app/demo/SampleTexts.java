package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts the demo feeds to the input topic: one text per line; blank lines and lines starting with
 * {@code #} are skipped. The bundled set ({@code demo/news.txt}) is invented news-like sentences
 * written for this project.
 */
public final class SampleTexts {
  /** Class-path resource of the bundled texts. */
  public static final String BUNDLED = "demo/news.txt";

  private SampleTexts() {}

  /** The bundled sample texts. */
  public static List<String> bundled() {
    try (InputStream in = SampleTexts.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("resource " + BUNDLED + " is missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read resource " + BUNDLED, e);
    }
  }

  /**
   * The texts of a UTF-8 file.
   *
   * @throws IllegalArgumentException when the file holds no text
   * @throws IOException when it cannot be read
   */
  public static List<String> read(Path file) throws IOException {
    requireNonNull(file, "file");
    return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  /**
   * The texts in {@code content}, trimmed.
   *
   * @param source named in the error when there is no text
   */
  static List<String> parse(String content, String source) {
    List<String> texts = new ArrayList<>();
    content
        .lines()
        .map(String::strip)
        .filter(t -> !t.isEmpty() && !t.startsWith("#"))
        .forEach(texts::add);
    if (texts.isEmpty()) {
      throw new IllegalArgumentException(
          source + " holds no text; put one text per line (lines starting with # are skipped)");
    }
    return List.copyOf(texts);
  }
}
