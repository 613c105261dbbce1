package dev.strata.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabelSetTest {

  @Test
  void outsideFirstThenBeginInsidePerSortedType() {
    LabelSet set = LabelSet.ofTypes(List.of("PER", "LOC", "PER"));
    assertThat(set.labels()).containsExactly("O", "B-LOC", "I-LOC", "B-PER", "I-PER");
    assertThat(set.types()).containsExactly("LOC", "PER");
    assertThat(set.size()).isEqualTo(5);
    assertThat(set.encode("O")).isZero();
    assertThat(set.encode("I-PER")).isEqualTo(4);
    assertThat(set.encode(List.of("B-LOC", "O", "B-PER"))).containsExactly(1, 0, 3);
    assertThat(set.decode(new int[] {3, 4, 0})).containsExactly("B-PER", "I-PER", "O");
  }

  @Test
  void builtFromSentencesEqualsBuiltFromTypes() {
    List<Sentence> s =
        List.of(
            new Sentence(List.of("a", "b"), List.of("B-ORG", "I-ORG")),
            new Sentence(List.of("c"), List.of("I-MISC")),
            Sentence.unlabeled(List.of("d")));
    LabelSet fromData = LabelSet.fromSentences(s);
    assertThat(fromData).isEqualTo(LabelSet.ofTypes(List.of("MISC", "ORG")));
    assertThat(fromData.hashCode()).isEqualTo(LabelSet.ofTypes(List.of("ORG", "MISC")).hashCode());
    assertThat(fromData).isNotEqualTo(LabelSet.ofTypes(List.of("ORG")));
    assertThat(LabelSet.fromSentences(List.of()).labels()).containsExactly("O");
  }

  @Test
  void jsonRoundTripIsThePlainList() throws Exception {
    ObjectMapper json = new ObjectMapper();
    LabelSet set = LabelSet.ofTypes(List.of("PER", "LOC"));
    String text = json.writeValueAsString(set);
    assertThat(text).isEqualTo("[\"O\",\"B-LOC\",\"I-LOC\",\"B-PER\",\"I-PER\"]");
    assertThat(json.readValue(text, LabelSet.class)).isEqualTo(set);
    assertThat(LabelSet.of(json.readValue(text, new TypeReference<List<String>>() {})))
        .isEqualTo(set);
  }

  @Test
  void errorsNameTheBadValueAndTheExpectedForm() {
    LabelSet set = LabelSet.ofTypes(List.of("PER"));
    assertThatThrownBy(() -> set.encode("B-LOC"))
        .hasMessageContaining("'B-LOC'")
        .hasMessageContaining("[O, B-PER, I-PER]");
    assertThatThrownBy(() -> set.decode(3)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> LabelSet.of(List.of("B-PER", "I-PER", "O")))
        .hasMessageContaining("expected [O, B-PER, I-PER]");
    assertThatThrownBy(() -> LabelSet.of(List.of("O", "X-PER"))).hasMessageContaining("'X-PER'");
    assertThatThrownBy(() -> LabelSet.ofTypes(List.of("NEW YORK")))
        .hasMessageContaining("'NEW YORK'");
  }
}
