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
import java.util.regex.Pattern;

/**
 * Reads CoNLL-style token-per-line files into {@link Sentence}s.
 *
 * <ul>
 *   <li>The token is the first column and the tag the last. A line that contains a tab is split at
 *       tabs (so a token may contain spaces); any other line is split at runs of whitespace.
 *   <li>Blank lines separate sentences; {@code -DOCSTART-} lines are skipped (and end a sentence).
 *       A missing newline at the end of the file is fine.
 *   <li>A file with one column per line is unlabeled text (sentences without tags); mixing tagged
 *       and untagged lines is an error.
 *   <li>Tags must be IOB2 ({@link Iob2#FORM}); anything else is an error naming the file, the line
 *       and the tag. Only the form of each tag is checked, not the sequence: an {@code I-X} after
 *       {@code O} is accepted (scorers treat it as the start of an entity).
 *   <li>A language prefix such as WikiANN's {@code en:} is handled by {@link LanguagePrefix},
 *       {@link LanguagePrefix#AUTO} by default.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ConllReader {
  private static final String DOCSTART = "-DOCSTART-";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern PREFIX = Pattern.compile("^[a-z]{2,3}:(?=.)");

  private final LanguagePrefix languagePrefix;

  private ConllReader(LanguagePrefix languagePrefix) {
    this.languagePrefix = languagePrefix;
  }

  /** A reader with the defaults ({@link LanguagePrefix#AUTO}). */
  public static ConllReader create() {
    return builder().build();
  }

  /** A builder for a reader. */
  public static Builder builder() {
    return new Builder();
  }

  /** The prefix policy. */
  public LanguagePrefix languagePrefix() {
    return languagePrefix;
  }

  /**
   * Reads a UTF-8 file.
   *
   * @throws DataFileException naming the file and line when the content is malformed
   */
  public List<Sentence> read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads from {@code in}, which is not closed.
   *
   * @param source the name used in error messages (a file name)
   * @throws DataFileException naming the source and line when the content is malformed
   */
  public List<Sentence> read(Reader in, String source) throws IOException {
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(source, "source");
    BufferedReader br = in instanceof BufferedReader b ? b : new BufferedReader(in);
    Parse p = new Parse(source);
    String line;
    while ((line = br.readLine()) != null) {
      p.line(line);
    }
    p.endSentence();
    if (languagePrefix == LanguagePrefix.AUTO && p.commonPrefix != null && !p.mixedPrefix) {
      return stripAll(p.sentences, p.commonPrefix.length());
    }
    return p.sentences;
  }

  private static List<Sentence> stripAll(List<Sentence> sentences, int prefixLength) {
    List<Sentence> out = new ArrayList<>(sentences.size());
    for (Sentence s : sentences) {
      List<String> words = new ArrayList<>(s.size());
      for (String w : s.words()) {
        words.add(w.substring(prefixLength));
      }
      out.add(new Sentence(words, s.tags()));
    }
    return out;
  }

  /** The state of one pass over a file. */
  private final class Parse {
    final String source;
    final List<Sentence> sentences = new ArrayList<>();
    final List<String> words = new ArrayList<>();
    final List<String> tags = new ArrayList<>();
    int lineNo;
    Boolean tagged;
    int taggedDecidedAt;
    String commonPrefix;
    boolean mixedPrefix;

    Parse(String source) {
      this.source = source;
    }

    void line(String raw) {
      lineNo++;
      String line = lineNo == 1 && raw.startsWith("\uFEFF") ? raw.substring(1) : raw;
      if (line.isBlank()) {
        endSentence();
        return;
      }
      String[] cols =
          line.indexOf('\t') >= 0 ? line.strip().split("\t") : WHITESPACE.split(line.strip());
      String token = cols[0];
      if (token.equals(DOCSTART)) {
        endSentence();
        return;
      }
      if (token.isEmpty()) {
        throw new DataFileException(
            source, lineNo, "empty token in line '" + line + "': expected 'token ... tag'");
      }
      boolean hasTag = cols.length > 1;
      if (tagged == null) {
        tagged = hasTag;
        taggedDecidedAt = lineNo;
      } else if (tagged != hasTag) {
        throw new DataFileException(
            source,
            lineNo,
            (hasTag ? "line has a tag column" : "line '" + line + "' has no tag column")
                + " but line "
                + taggedDecidedAt
                + (tagged ? " has one" : " has none")
                + ": every token line needs the same layout ('token ... tag', or 'token' alone"
                + " for unlabeled text)");
      }
      words.add(prefix(token));
      if (hasTag) {
        String tag = cols[cols.length - 1];
        if (!Iob2.isValid(tag)) {
          throw new DataFileException(
              source,
              lineNo,
              "bad tag '" + tag + "' for token '" + token + "': expected " + Iob2.FORM);
        }
        tags.add(tag);
      }
    }

    private String prefix(String token) {
      var m = PREFIX.matcher(token);
      boolean has = m.find();
      switch (languagePrefix) {
        case KEEP:
          return token;
        case STRIP:
          if (!has) {
            throw new DataFileException(
                source,
                lineNo,
                "token '"
                    + token
                    + "' has no language prefix ('xx:' before the token) but the reader strips"
                    + " one from every token: use LanguagePrefix.KEEP or AUTO for this file");
          }
          return token.substring(m.end());
        case AUTO:
        default:
          String p = has ? token.substring(0, m.end()) : null;
          if (p == null) {
            mixedPrefix = true;
          } else if (commonPrefix == null) {
            commonPrefix = p;
          } else if (!commonPrefix.equals(p)) {
            mixedPrefix = true;
          }
          return token;
      }
    }

    void endSentence() {
      if (words.isEmpty()) {
        return;
      }
      sentences.add(new Sentence(words, tags));
      words.clear();
      tags.clear();
    }
  }

  /** Builds a {@link ConllReader}. */
  public static final class Builder {
    private LanguagePrefix languagePrefix = LanguagePrefix.AUTO;

    private Builder() {}

    /**
     * What to do with a language prefix such as {@code en:}; default {@link LanguagePrefix#AUTO}.
     */
    public Builder optLanguagePrefix(LanguagePrefix languagePrefix) {
      this.languagePrefix = Objects.requireNonNull(languagePrefix, "languagePrefix");
      return this;
    }

    /** The reader. */
    public ConllReader build() {
      return new ConllReader(languagePrefix);
    }
  }
}
