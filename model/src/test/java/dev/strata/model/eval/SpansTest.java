package dev.strata.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpansTest {

  private static List<String> tags(String s) {
    return List.of(s.split(" "));
  }

  @Test
  void beginInsideRuns() {
    assertThat(Spans.fromTags(tags("B-PER I-PER O B-LOC")))
        .containsExactly(new EntitySpan(0, 2, "PER"), new EntitySpan(3, 4, "LOC"));
  }

  @Test
  void insideAfterOutsideOrAnotherTypeOpensAnEntity() {
    assertThat(Spans.fromTags(tags("I-LOC I-LOC O I-PER B-ORG I-PER")))
        .containsExactly(
            new EntitySpan(0, 2, "LOC"),
            new EntitySpan(3, 4, "PER"),
            new EntitySpan(4, 5, "ORG"),
            new EntitySpan(5, 6, "PER"));
  }

  @Test
  void adjacentBeginsAreSeparateEntities() {
    assertThat(Spans.fromTags(tags("B-PER B-PER I-PER")))
        .containsExactly(new EntitySpan(0, 1, "PER"), new EntitySpan(1, 3, "PER"));
  }

  @Test
  void emptyAndAllOutside() {
    assertThat(Spans.fromTags(List.of())).isEmpty();
    assertThat(Spans.fromTags(tags("O O"))).isEmpty();
  }

  @Test
  void badTagNamesPosition() {
    assertThatThrownBy(() -> Spans.fromTags(tags("O E-PER")))
        .hasMessageContaining("'E-PER' at word 1");
  }

  @Test
  void toTagsIsTheInverseOnIob2() {
    List<String> t = tags("B-PER I-PER B-PER O B-LOC");
    assertThat(Spans.toTags(Spans.fromTags(t), 5)).isEqualTo(t);
    // I- starting a span is normalised to B-
    assertThat(Spans.toTags(Spans.fromTags(tags("O I-LOC I-LOC")), 3))
        .containsExactly("O", "B-LOC", "I-LOC");
    assertThatThrownBy(
            () -> Spans.toTags(List.of(new EntitySpan(0, 2, "A"), new EntitySpan(1, 3, "B")), 3))
        .hasMessageContaining("overlaps");
  }

  @Test
  void wordSpansToCharacterSpans() {
    List<String> words = List.of("Peter", "Blackburn", "visits", "New", "York");
    String text = String.join(" ", words);
    int[][] off = Spans.joinedOffsets(words);
    assertThat(off[0]).containsExactly(0, 6, 16, 23, 27);
    assertThat(off[1]).containsExactly(5, 15, 22, 26, 31);
    List<CharSpan> cs =
        Spans.toChars(Spans.fromTags(tags("B-PER I-PER O B-LOC I-LOC")), off[0], off[1]);
    assertThat(cs).containsExactly(new CharSpan(0, 15, "PER"), new CharSpan(23, 31, "LOC"));
    assertThat(cs.get(0).text(text)).isEqualTo("Peter Blackburn");
    assertThat(cs.get(1).text(text)).isEqualTo("New York");
  }
}
