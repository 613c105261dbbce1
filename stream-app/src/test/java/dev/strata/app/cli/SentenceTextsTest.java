package dev.strata.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.EntitySpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Words to text and entity spans back to word tags, as stream-eval scores them. */
class SentenceTextsTest {
  private static final List<String> WORDS =
      List.of("Maria", "Fernández", "joined", "Nordlicht", "AG");

  private static EntitySpan span(int start, int end, String label, String head) {
    return EntitySpan.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setLabel(label)
        .setText("")
        .setScore(1f)
        .setHead(head)
        .build();
  }

  @Test
  void wordsAreJoinedBySingleSpaces() {
    assertThat(SentenceTexts.text(WORDS)).isEqualTo("Maria Fernández joined Nordlicht AG");
    assertThat(SentenceTexts.starts(WORDS)).containsExactly(0, 6, 16, 23, 33);
  }

  @Test
  void spansOfTheHeadBecomeIob2WordTags() {
    List<String> tags =
        SentenceTexts.tags(
            WORDS,
            List.of(
                span(0, 15, "PER", "conll"),
                span(23, 35, "ORG", "conll"),
                span(16, 22, "X", "other")),
            "conll");
    assertThat(tags).containsExactly("B-PER", "I-PER", "O", "B-ORG", "I-ORG");
  }

  @Test
  void aSpanCoveringPartOfAWordTagsTheWord() {
    assertThat(SentenceTexts.tags(WORDS, List.of(span(24, 26, "ORG", "h")), "h"))
        .containsExactly("O", "O", "O", "B-ORG", "O");
  }
}
