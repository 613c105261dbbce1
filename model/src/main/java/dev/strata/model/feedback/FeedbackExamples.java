package dev.strata.model.feedback;

import dev.strata.model.data.Iob2;
import dev.strata.model.text.TextWords;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates labelled feedback and turns it into {@link FeedbackExample}s. Every refusal is an
 * {@link InvalidFeedbackException} with a {@link FeedbackProblem} and a message naming the example,
 * the bad value and the fix.
 *
 * <p>Spans are mapped to word tags over the words {@link TextWords#split} finds, which is the word
 * splitting the tagger applies to raw text at inference: a span must start at a word's first
 * character and end at a word's last one.
 */
public final class FeedbackExamples {
  private static final Pattern HEAD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private FeedbackExamples() {}

  /**
   * An example in whichever single form is set (the shape of a {@code FeedbackRecord}): tokens +
   * tags, spans, or a class label.
   */
  public static FeedbackExample of(
      String id,
      String head,
      String text,
      List<String> tokens,
      List<String> tags,
      List<LabeledSpan> spans,
      String classLabel) {
    int forms =
        (tokens != null || tags != null ? 1 : 0)
            + (spans != null ? 1 : 0)
            + (classLabel != null ? 1 : 0);
    if (forms == 0) {
      throw invalid(FeedbackProblem.NO_LABEL_FORM, id, "it carries no labels");
    }
    if (forms > 1) {
      throw invalid(
          FeedbackProblem.SEVERAL_LABEL_FORMS,
          id,
          "it sets "
              + (tokens != null || tags != null ? "tokens/tags " : "")
              + (spans != null ? "spans " : "")
              + (classLabel != null ? "class_label " : "")
              + "at once");
    }
    if (classLabel != null) {
      return fromClassLabel(id, head, text, classLabel);
    }
    if (spans != null) {
      return fromSpans(id, head, text, spans);
    }
    return fromTokens(id, head, text, tokens, tags);
  }

  /**
   * A tagging example from whitespace tokens of {@code text} and one IOB2 tag per token. The tokens
   * must appear in the text in order, separated only by whitespace.
   */
  public static FeedbackExample fromTokens(
      String id, String head, String text, List<String> tokens, List<String> tags) {
    checkCommon(id, head, text);
    if (tokens == null || tags == null) {
      throw invalid(
          FeedbackProblem.TOKENS_WITHOUT_TAGS,
          id,
          tokens == null ? "it has tags but no tokens" : "it has tokens but no tags");
    }
    if (tokens.size() != tags.size()) {
      throw invalid(
          FeedbackProblem.TOKENS_TAGS_LENGTH_MISMATCH,
          id,
          "it has " + tokens.size() + " tokens but " + tags.size() + " tags");
    }
    if (tokens.isEmpty()) {
      throw invalid(FeedbackProblem.NO_WORDS, id, "its token list is empty");
    }
    List<WordToken> words = new ArrayList<>(tokens.size());
    int pos = 0;
    for (int i = 0; i < tokens.size(); i++) {
      String tok = tokens.get(i);
      if (tok == null || tok.isEmpty() || tok.codePoints().anyMatch(Character::isWhitespace)) {
        throw invalid(
            FeedbackProblem.TOKEN_NOT_IN_TEXT,
            id,
            "token " + (i + 1) + " '" + tok + "' is empty or contains whitespace");
      }
      int at = pos;
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      if (!text.startsWith(tok, at)) {
        throw invalid(
            FeedbackProblem.TOKEN_NOT_IN_TEXT,
            id,
            "token "
                + (i + 1)
                + " '"
                + tok
                + "' is not next in the text at offset "
                + at
                + " (found '"
                + excerpt(text, at)
                + "')");
      }
      words.add(new WordToken(tok, at, at + tok.length()));
      pos = at + tok.length();
    }
    checkTags(id, tags);
    return new FeedbackExample(id, head, text, words, tags, null);
  }

  /**
   * A tagging example from labelled character spans, mapped to IOB2 tags of the words the tagger
   * sees: the first word of a span gets {@code B-label}, the others {@code I-label}, all other
   * words {@code O}. An empty span list is a valid "no entities here" example.
   */
  public static FeedbackExample fromSpans(
      String id, String head, String text, List<LabeledSpan> spans) {
    checkCommon(id, head, text);
    if (spans == null) {
      throw invalid(FeedbackProblem.NO_LABEL_FORM, id, "its span list is null");
    }
    List<WordToken> words = words(id, text);
    List<LabeledSpan> sorted = new ArrayList<>(spans);
    for (LabeledSpan s : sorted) {
      if (s == null || s.start() < 0 || s.end() <= s.start() || s.end() > text.length()) {
        throw invalid(
            FeedbackProblem.SPAN_OUT_OF_RANGE,
            id,
            "span "
                + (s == null ? "null" : "[" + s.start() + ", " + s.end() + ")")
                + " does not lie inside the text of "
                + text.length()
                + " characters");
      }
      checkLabel(id, "span label", s.label());
    }
    sorted.sort(Comparator.comparingInt(LabeledSpan::start));
    for (int i = 1; i < sorted.size(); i++) {
      LabeledSpan a = sorted.get(i - 1);
      LabeledSpan b = sorted.get(i);
      if (b.start() < a.end()) {
        throw invalid(
            FeedbackProblem.SPANS_OVERLAP,
            id,
            "spans ["
                + a.start()
                + ", "
                + a.end()
                + ") and ["
                + b.start()
                + ", "
                + b.end()
                + ") overlap");
      }
    }
    List<String> tags = new ArrayList<>(words.size());
    for (int w = 0; w < words.size(); w++) {
      tags.add(Iob2.OUTSIDE);
    }
    for (LabeledSpan s : sorted) {
      int first = -1;
      int last = -1;
      for (int w = 0; w < words.size(); w++) {
        WordToken t = words.get(w);
        if (t.start() < s.end() && t.end() > s.start()) {
          if (t.start() < s.start() || t.end() > s.end()) {
            throw invalid(
                FeedbackProblem.SPAN_SPLITS_WORD,
                id,
                "span ["
                    + s.start()
                    + ", "
                    + s.end()
                    + ") '"
                    + text.substring(s.start(), s.end())
                    + "' cuts the word '"
                    + t.text()
                    + "' at ["
                    + t.start()
                    + ", "
                    + t.end()
                    + ")");
          }
          if (first < 0) {
            first = w;
          }
          last = w;
        }
      }
      if (first < 0) {
        throw invalid(
            FeedbackProblem.SPAN_SPLITS_WORD,
            id,
            "span [" + s.start() + ", " + s.end() + ") covers no word (only whitespace)");
      }
      tags.set(first, "B-" + s.label());
      for (int w = first + 1; w <= last; w++) {
        tags.set(w, "I-" + s.label());
      }
    }
    return new FeedbackExample(id, head, text, words, tags, null);
  }

  /** A classification example: the whole text has class {@code label}. */
  public static FeedbackExample fromClassLabel(String id, String head, String text, String label) {
    checkCommon(id, head, text);
    checkLabel(id, "class label", label);
    return new FeedbackExample(id, head, text, words(id, text), null, label);
  }

  private static void checkCommon(String id, String head, String text) {
    if (id == null || id.isBlank()) {
      throw new InvalidFeedbackException(
          FeedbackProblem.MISSING_ID,
          "feedback example refused (MISSING_ID): it has no id; "
              + FeedbackProblem.MISSING_ID.fix());
    }
    if (head == null || !HEAD_NAME.matcher(head).matches()) {
      throw invalid(FeedbackProblem.BAD_HEAD_NAME, id, "head name '" + head + "' is not allowed");
    }
    if (text == null || text.isBlank()) {
      throw invalid(
          FeedbackProblem.EMPTY_TEXT, id, "its text is " + (text == null ? "missing" : "empty"));
    }
  }

  private static List<WordToken> words(String id, String text) {
    List<WordToken> out = new ArrayList<>();
    for (TextWords.Span s : TextWords.split(text)) {
      out.add(new WordToken(text.substring(s.start(), s.end()), s.start(), s.end()));
    }
    if (out.isEmpty()) {
      throw invalid(FeedbackProblem.NO_WORDS, id, "its text has no words");
    }
    return out;
  }

  private static void checkTags(String id, List<String> tags) {
    String prev = Iob2.OUTSIDE;
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      if (tag == null || !Iob2.isValid(tag)) {
        throw invalid(FeedbackProblem.BAD_TAG, id, "tag " + (i + 1) + " '" + tag + "' is not IOB2");
      }
      if (tag.startsWith("I-")) {
        String type = tag.substring(2);
        if (prev.equals(Iob2.OUTSIDE) || !prev.substring(2).equals(type)) {
          throw invalid(
              FeedbackProblem.ILLEGAL_IOB2_SEQUENCE,
              id,
              "tag " + (i + 1) + " '" + tag + "' follows '" + prev + "'");
        }
      }
      prev = tag;
    }
  }

  private static void checkLabel(String id, String what, String label) {
    if (label == null || label.isEmpty() || label.codePoints().anyMatch(Character::isWhitespace)) {
      throw invalid(FeedbackProblem.BAD_LABEL, id, what + " '" + label + "' is not allowed");
    }
  }

  private static String excerpt(String text, int at) {
    if (at >= text.length()) {
      return "<end of text>";
    }
    return text.substring(at, Math.min(text.length(), at + 20));
  }

  private static InvalidFeedbackException invalid(FeedbackProblem p, String id, String what) {
    return new InvalidFeedbackException(
        p, "feedback example '" + id + "' refused (" + p + "): " + what + "; " + p.fix());
  }
}
