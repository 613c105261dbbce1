package dev.strata.model.ner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.model.data.LabelSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Label set O, B-LOC, I-LOC, B-PER, I-PER; probabilities chosen by hand. */
class TagDecodingTest {
  private static final LabelSet LABELS = LabelSet.ofTypes(List.of("LOC", "PER"));

  private static float[] p(float o, float bLoc, float iLoc, float bPer, float iPer) {
    return new float[] {o, bLoc, iLoc, bPer, iPer};
  }

  @Test
  void argmaxKeepsAnInvalidIAfterO() {
    float[][] probs = {p(.9f, .02f, .03f, .03f, .02f), p(.3f, .05f, .05f, .1f, .5f)};
    assertThat(TagDecoding.ARGMAX.decode(probs, LABELS)).containsExactly("O", "I-PER");
  }

  @Test
  void viterbiRepairsItWithTheBestValidSequence() {
    // O then I-PER is forbidden. Candidates: (O,O) = .9*.3 = .27; (B-PER,I-PER) = .03*.5 = .015;
    // (O,B-PER) = .9*.1 = .09. The best valid sequence is O O.
    float[][] probs = {p(.9f, .02f, .03f, .03f, .02f), p(.3f, .05f, .05f, .1f, .5f)};
    assertThat(TagDecoding.IOB2_VITERBI.decode(probs, LABELS)).containsExactly("O", "O");
  }

  @Test
  void viterbiExtendsAnEntityWhenThatScoresBest() {
    // (B-PER, I-PER) = .6*.5 = .30 beats (B-PER, O) = .6*.3 = .18 and (B-PER, B-PER) = .6*.1.
    float[][] probs = {p(.1f, .1f, .1f, .6f, .1f), p(.3f, .05f, .05f, .1f, .5f)};
    assertThat(TagDecoding.IOB2_VITERBI.decode(probs, LABELS)).containsExactly("B-PER", "I-PER");
  }

  @Test
  void viterbiNeverContinuesAnotherType() {
    // Argmax says B-PER I-LOC, which IOB2 forbids. Valid candidates: (B-LOC, I-LOC) = .15*.6 =
    // .09; (B-PER, x) = .55*.1 = .055 for any allowed x; (O, x) <= .1*.1. Best: B-LOC I-LOC.
    float[][] probs = {p(.1f, .15f, .1f, .55f, .1f), p(.1f, .1f, .6f, .1f, .1f)};
    assertThat(TagDecoding.ARGMAX.decode(probs, LABELS)).containsExactly("B-PER", "I-LOC");
    assertThat(TagDecoding.IOB2_VITERBI.decode(probs, LABELS)).containsExactly("B-LOC", "I-LOC");
  }

  @Test
  void cutOffWordsBecomeO() {
    float[][] probs = {p(.1f, .1f, .1f, .6f, .1f), null};
    assertThat(TagDecoding.IOB2_VITERBI.decode(probs, LABELS)).containsExactly("B-PER", "O");
    assertThat(TagDecoding.ARGMAX.decode(probs, LABELS)).containsExactly("B-PER", "O");
  }
}
