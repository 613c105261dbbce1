package dev.strata.model.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Validation of every feedback form and the span-to-word-tag mapping. */
class FeedbackExamplesTest {

  private static void refused(ThrowingCallable call, FeedbackProblem problem, String... inMessage) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            InvalidFeedbackException.class, e -> assertThat(e.problem()).isEqualTo(problem))
        .hasMessageContaining(problem.fix())
        .hasMessageContaining(problem.name())
        .satisfies(
            e -> {
              for (String part : inMessage) {
                assertThat(e.getMessage()).contains(part);
              }
            });
  }

  @Test
  void tokensAndTagsBecomeWordsWithOffsets() {
    FeedbackExample e =
        FeedbackExamples.fromTokens(
            "1",
            "ner",
            "  Maria  lives in Zürich .",
            List.of("Maria", "lives", "in", "Zürich", "."),
            List.of("B-PER", "O", "O", "B-LOC", "O"));
    assertThat(e.tokens())
        .containsExactly(
            new WordToken("Maria", 2, 7),
            new WordToken("lives", 9, 14),
            new WordToken("in", 15, 17),
            new WordToken("Zürich", 18, 24),
            new WordToken(".", 25, 26));
    assertThat(e.tagging()).isTrue();
    assertThat(e.entityTypes()).containsExactly("PER", "LOC");
    assertThat(e.sentence().words()).containsExactly("Maria", "lives", "in", "Zürich", ".");
  }

  @Test
  void spansMapToTagsOfTheTaggersWords() {
    // punctuation is a word of its own; non-ASCII letters stay inside their word; offsets are
    // UTF-16 (the emoji takes two code units)
    String text = "Dr. José Núñez-García (ACME) visited 😀 São Paulo.";
    int jose = text.indexOf("José");
    int garciaEnd = text.indexOf("García") + "García".length();
    int acme = text.indexOf("ACME");
    int sao = text.indexOf("São");
    int pauloEnd = text.indexOf("Paulo") + "Paulo".length();
    FeedbackExample e =
        FeedbackExamples.fromSpans(
            "7",
            "custom",
            text,
            List.of(
                new LabeledSpan(sao, pauloEnd, "CITY"),
                new LabeledSpan(jose, garciaEnd, "PERSON"),
                new LabeledSpan(acme, acme + 4, "ORG")));
    List<String> words = e.sentence().words();
    assertThat(words)
        .containsExactly(
            "Dr", ".", "José", "Núñez", "-", "García", "(", "ACME", ")", "visited", "😀", "São",
            "Paulo", ".");
    assertThat(e.tags())
        .containsExactly(
            "O",
            "O",
            "B-PERSON",
            "I-PERSON",
            "I-PERSON",
            "I-PERSON",
            "O",
            "B-ORG",
            "O",
            "O",
            "O",
            "B-CITY",
            "I-CITY",
            "O");
    for (WordToken w : e.tokens()) {
      assertThat(text.substring(w.start(), w.end())).isEqualTo(w.text());
    }
  }

  @Test
  void emptySpanListIsANoEntityExample() {
    FeedbackExample e = FeedbackExamples.fromSpans("x", "ner", "nothing here", List.of());
    assertThat(e.tags()).containsExactly("O", "O");
  }

  @Test
  void classLabelExample() {
    FeedbackExample e = FeedbackExamples.fromClassLabel("c", "topic", "Stocks fell.", "finance");
    assertThat(e.tagging()).isFalse();
    assertThat(e.classLabel()).isEqualTo("finance");
    assertThat(e.tokens()).hasSize(3);
  }

  @Test
  void ofDispatchesOnTheSingleForm() {
    assertThat(
            FeedbackExamples.of("a", "h", "Bob", List.of("Bob"), List.of("B-PER"), null, null)
                .tags())
        .containsExactly("B-PER");
    assertThat(
            FeedbackExamples.of(
                    "a", "h", "Bob", null, null, List.of(new LabeledSpan(0, 3, "P")), null)
                .tags())
        .containsExactly("B-P");
    assertThat(FeedbackExamples.of("a", "h", "Bob", null, null, null, "x").classLabel())
        .isEqualTo("x");
  }

  @Test
  void refusesMissingIdBadHeadAndEmptyText() {
    refused(() -> FeedbackExamples.fromClassLabel(" ", "h", "t", "x"), FeedbackProblem.MISSING_ID);
    refused(
        () -> FeedbackExamples.fromClassLabel("1", "my head", "t", "x"),
        FeedbackProblem.BAD_HEAD_NAME,
        "'my head'");
    refused(
        () -> FeedbackExamples.fromClassLabel("1", "h", "  \n", "x"), FeedbackProblem.EMPTY_TEXT);
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", null, List.of()), FeedbackProblem.EMPTY_TEXT);
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", "\u0000\u0001", List.of()),
        FeedbackProblem.NO_WORDS);
  }

  @Test
  void refusesNoneOrSeveralLabelForms() {
    refused(
        () -> FeedbackExamples.of("1", "h", "t", null, null, null, null),
        FeedbackProblem.NO_LABEL_FORM);
    refused(
        () -> FeedbackExamples.of("1", "h", "t", List.of("t"), List.of("O"), List.of(), null),
        FeedbackProblem.SEVERAL_LABEL_FORMS,
        "tokens/tags",
        "spans");
    refused(
        () -> FeedbackExamples.of("1", "h", "t", null, null, List.of(), "x"),
        FeedbackProblem.SEVERAL_LABEL_FORMS);
  }

  @Test
  void refusesTokenAndTagProblems() {
    refused(
        () -> FeedbackExamples.of("1", "h", "a b", List.of("a", "b"), null, null, null),
        FeedbackProblem.TOKENS_WITHOUT_TAGS);
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a b", List.of("a", "b"), List.of("O")),
        FeedbackProblem.TOKENS_TAGS_LENGTH_MISMATCH,
        "2 tokens but 1 tags");
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a b", List.of("a", "c"), List.of("O", "O")),
        FeedbackProblem.TOKEN_NOT_IN_TEXT,
        "'c'",
        "offset 2");
    // tokens must be separated by whitespace only, in order
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a, b", List.of("a", "b"), List.of("O", "O")),
        FeedbackProblem.TOKEN_NOT_IN_TEXT);
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "b a", List.of("a", "b"), List.of("O", "O")),
        FeedbackProblem.TOKEN_NOT_IN_TEXT);
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a b", List.of("a b"), List.of("O")),
        FeedbackProblem.TOKEN_NOT_IN_TEXT);
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a b", List.of("a", "b"), List.of("O", "X-P")),
        FeedbackProblem.BAD_TAG,
        "'X-P'");
    refused(
        () -> FeedbackExamples.fromTokens("1", "h", "a b", List.of("a", "b"), List.of("B-", "O")),
        FeedbackProblem.BAD_TAG);
    refused(
        () ->
            FeedbackExamples.fromTokens("1", "h", "a b", List.of("a", "b"), List.of("O", "I-PER")),
        FeedbackProblem.ILLEGAL_IOB2_SEQUENCE,
        "'I-PER' follows 'O'");
    refused(
        () ->
            FeedbackExamples.fromTokens(
                "1", "h", "a b", List.of("a", "b"), List.of("B-LOC", "I-PER")),
        FeedbackProblem.ILLEGAL_IOB2_SEQUENCE);
  }

  @Test
  void refusesSpanProblems() {
    String text = "Ann met Bob";
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(8, 12, "P"))),
        FeedbackProblem.SPAN_OUT_OF_RANGE,
        "[8, 12)");
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(-1, 2, "P"))),
        FeedbackProblem.SPAN_OUT_OF_RANGE);
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(3, 3, "P"))),
        FeedbackProblem.SPAN_OUT_OF_RANGE);
    refused(
        () ->
            FeedbackExamples.fromSpans(
                "1", "h", text, List.of(new LabeledSpan(0, 7, "P"), new LabeledSpan(4, 11, "Q"))),
        FeedbackProblem.SPANS_OVERLAP);
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(0, 2, "P"))),
        FeedbackProblem.SPAN_SPLITS_WORD,
        "'An'",
        "'Ann'");
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(3, 4, "P"))),
        FeedbackProblem.SPAN_SPLITS_WORD,
        "covers no word");
    refused(
        () -> FeedbackExamples.fromSpans("1", "h", text, List.of(new LabeledSpan(0, 3, "A B"))),
        FeedbackProblem.BAD_LABEL);
    refused(() -> FeedbackExamples.fromClassLabel("1", "h", text, ""), FeedbackProblem.BAD_LABEL);
  }

  @Test
  void everyProblemIsCovered() {
    // the cases above exercise each constant; this keeps the list honest when one is added
    assertThat(FeedbackProblem.values()).hasSize(15);
  }
}
