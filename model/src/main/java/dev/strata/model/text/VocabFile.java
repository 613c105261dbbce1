package dev.strata.model.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** Reads a WordPiece {@code vocab.txt}: one token per line, the line number is the id. */
final class VocabFile {

  static final String UNK = "[UNK]";
  static final String CLS = "[CLS]";
  static final String SEP = "[SEP]";

  private VocabFile() {}

  /** Tokens in id order, trailing whitespace removed (as the Hugging Face reader does). */
  static List<String> read(Reader reader) throws IOException {
    List<String> tokens = new ArrayList<>(32_000);
    BufferedReader lines =
        reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
      tokens.add(stripTrailingWhitespace(line));
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "vocab.txt is empty; give the vocab.txt of the checkpoint (one token per line)");
    }
    return tokens;
  }

  private static String stripTrailingWhitespace(String line) {
    int end = line.length();
    while (end > 0 && BertChars.isWhitespace(line.charAt(end - 1))) {
      end--;
    }
    return line.substring(0, end);
  }
}
