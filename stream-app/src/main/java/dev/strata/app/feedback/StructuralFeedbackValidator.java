package dev.strata.app.feedback;

import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.LabeledSpan;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a feedback record's shape without the model's tokenizer: a head name and a non-blank text,
 * exactly one label form, tokens and tags of equal length with tokens found in the text in order,
 * IOB2 tags ({@code O}, {@code B-X}, {@code I-X} only after {@code B-X}/{@code I-X}), spans inside
 * the text and not overlapping. The model-side adapter adds what needs the tokenizer (spans that
 * split a word).
 */
public final class StructuralFeedbackValidator implements FeedbackValidator {
  private static final Pattern TAG = Pattern.compile("O|[BI]-\\S+");

  /**
   * Head names: letters, digits, '.', '_' and '-' (no '@': it separates versions on the heads
   * topic).
   */
  public static final Pattern HEAD_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Override
  public FeedbackVerdict check(FeedbackRecord r) {
    String text = r.getText();
    if (r.getHead() == null || r.getHead().isBlank()) {
      return FeedbackVerdict.invalid(
          "EMPTY_HEAD", "id '" + r.getId() + "': the head name is empty");
    }
    if (text == null || text.isBlank()) {
      return FeedbackVerdict.invalid("EMPTY_TEXT", "id '" + r.getId() + "': the text is empty");
    }
    int forms =
        (r.getTokens() != null || r.getTags() != null ? 1 : 0)
            + (r.getSpans() != null ? 1 : 0)
            + (r.getClassLabel() != null ? 1 : 0);
    if (forms == 0) {
      return FeedbackVerdict.invalid(
          "NO_LABEL_FORM",
          "id '" + r.getId() + "': set tokens+tags, spans or class_label (none is set)");
    }
    if (forms > 1) {
      return FeedbackVerdict.invalid(
          "SEVERAL_LABEL_FORMS",
          "id '" + r.getId() + "': set exactly one of tokens+tags, spans, class_label");
    }
    if (r.getSpans() != null) {
      return checkSpans(r.getId(), text, r.getSpans());
    }
    if (r.getClassLabel() != null) {
      return r.getClassLabel().isBlank()
          ? FeedbackVerdict.invalid(
              "EMPTY_CLASS_LABEL", "id '" + r.getId() + "': empty class_label")
          : FeedbackVerdict.VALID;
    }
    return checkTokens(r.getId(), text, r.getTokens(), r.getTags());
  }

  private static FeedbackVerdict checkTokens(
      String id, String text, List<String> tokens, List<String> tags) {
    if (tokens == null || tags == null || tokens.size() != tags.size() || tokens.isEmpty()) {
      return FeedbackVerdict.invalid(
          "TOKENS_TAGS_LENGTH_MISMATCH",
          "id '"
              + id
              + "': "
              + (tokens == null ? "no" : tokens.size())
              + " tokens but "
              + (tags == null ? "no" : tags.size())
              + " tags; give one IOB2 tag per token");
    }
    int at = 0;
    String previous = "O";
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      int found = token.isEmpty() ? -1 : text.indexOf(token, at);
      if (found < 0) {
        return FeedbackVerdict.invalid(
            "TOKEN_NOT_IN_TEXT",
            "id '" + id + "': token " + i + " '" + token + "' is not in the text after char " + at);
      }
      at = found + token.length();
      String tag = tags.get(i);
      if (!TAG.matcher(tag).matches()) {
        return FeedbackVerdict.invalid(
            "BAD_TAG", "id '" + id + "': tag " + i + " '" + tag + "' is not O, B-TYPE or I-TYPE");
      }
      if (tag.startsWith("I-")
          && !previous.substring(Math.min(2, previous.length())).equals(tag.substring(2))) {
        return FeedbackVerdict.invalid(
            "ILLEGAL_IOB2_SEQUENCE",
            "id '"
                + id
                + "': tag "
                + i
                + " '"
                + tag
                + "' follows '"
                + previous
                + "'; I-X must follow B-X or I-X");
      }
      previous = tag;
    }
    return FeedbackVerdict.VALID;
  }

  private static FeedbackVerdict checkSpans(String id, String text, List<LabeledSpan> spans) {
    List<LabeledSpan> sorted = new ArrayList<>(spans);
    sorted.sort(Comparator.comparingInt(LabeledSpan::getStart));
    int end = 0;
    for (LabeledSpan s : sorted) {
      if (s.getStart() < 0 || s.getEnd() > text.length() || s.getStart() >= s.getEnd()) {
        return FeedbackVerdict.invalid(
            "SPAN_OUT_OF_RANGE",
            "id '"
                + id
                + "': span ["
                + s.getStart()
                + ","
                + s.getEnd()
                + ") is not inside the "
                + text.length()
                + "-char text");
      }
      if (s.getStart() < end) {
        return FeedbackVerdict.invalid(
            "SPANS_OVERLAP",
            "id '" + id + "': span at " + s.getStart() + " overlaps the previous one");
      }
      if (s.getLabel().isBlank()
          || s.getLabel().startsWith("B-")
          || s.getLabel().startsWith("I-")) {
        return FeedbackVerdict.invalid(
            "BAD_TAG",
            "id '" + id + "': span label '" + s.getLabel() + "' must be a bare type such as PER");
      }
      end = s.getEnd();
    }
    return FeedbackVerdict.VALID;
  }
}
