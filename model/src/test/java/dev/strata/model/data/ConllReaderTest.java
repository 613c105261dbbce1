package dev.strata.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.eval.EntitySpan;
import dev.strata.model.eval.Spans;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ConllReaderTest {

  private static List<Sentence> read(ConllReader r, String text) throws IOException {
    return r.read(new StringReader(text), "test.txt");
  }

  private static List<Sentence> read(String text) throws IOException {
    return read(ConllReader.create(), text);
  }

  @Test
  void conll03LayoutSkipsDocstartAndNeedsNoTrailingNewline() throws IOException {
    String text =
        "-DOCSTART- -X- -X- O\n\nEU NNP B-NP B-ORG\nrejects VBZ B-VP O\n\n\n"
            + "Peter NNP B-NP B-PER\nBlackburn NNP I-NP I-PER";
    List<Sentence> s = read(text);
    assertThat(s)
        .containsExactly(
            new Sentence(List.of("EU", "rejects"), List.of("B-ORG", "O")),
            new Sentence(List.of("Peter", "Blackburn"), List.of("B-PER", "I-PER")));
  }

  @Test
  void docstartWithoutBlankLineStillEndsTheSentence() throws IOException {
    List<Sentence> s = read("a O\n-DOCSTART- -X- -X- O\nb B-LOC\n");
    assertThat(s).hasSize(2);
  }

  @Test
  void tabSeparatedColumnsMayHoldSpacesAndCrlfIsFine() throws IOException {
    List<Sentence> s = read("New York\tB-LOC\r\nCity\tI-LOC\r\n\r\n");
    assertThat(s)
        .containsExactly(new Sentence(List.of("New York", "City"), List.of("B-LOC", "I-LOC")));
  }

  @Test
  void autoStripsAPrefixEveryTokenCarries() throws IOException {
    List<Sentence> s = read("en:R.H.\tB-ORG\nen:Saunders\tI-ORG\n\nen::\tO\n");
    assertThat(s.get(0).words()).containsExactly("R.H.", "Saunders");
    assertThat(s.get(1).words()).containsExactly(":");
  }

  @Test
  void autoKeepsPrefixesWhenNotEveryTokenHasOne() throws IOException {
    List<Sentence> s = read("de:facto O\nis O\n");
    assertThat(s.get(0).words()).containsExactly("de:facto", "is");
  }

  @Test
  void keepLeavesPrefixesAndStripRequiresThem() throws IOException {
    ConllReader keep = ConllReader.builder().optLanguagePrefix(LanguagePrefix.KEEP).build();
    assertThat(read(keep, "en:a O\n").get(0).words()).containsExactly("en:a");
    ConllReader strip = ConllReader.builder().optLanguagePrefix(LanguagePrefix.STRIP).build();
    assertThat(read(strip, "en:a O\nfr:b O\n").get(0).words()).containsExactly("a", "b");
    assertThatThrownBy(() -> read(strip, "en:a O\n\nb O\n"))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("test.txt:3")
        .hasMessageContaining("'b'")
        .hasMessageContaining("LanguagePrefix.KEEP");
  }

  @Test
  void badTagNamesFileLineTagAndTheAllowedForm() {
    assertThatThrownBy(() -> read("a O\nb B-PER\n\nc U-PER\n"))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("test.txt:4:")
        .hasMessageContaining("'U-PER'")
        .hasMessageContaining("B-TYPE");
    assertThatThrownBy(() -> read("a B-\n")).hasMessageContaining("'B-'");
    assertThatThrownBy(() -> read("a NNP\n")).hasMessageContaining("'NNP'");
  }

  @Test
  void singleColumnFileIsUnlabeledAndMixingLayoutsFails() throws IOException {
    List<Sentence> s = read("Hello\nworld\n\nBye\n");
    assertThat(s)
        .containsExactly(
            Sentence.unlabeled(List.of("Hello", "world")), Sentence.unlabeled(List.of("Bye")));
    assertThat(s.get(0).labeled()).isFalse();
    assertThatThrownBy(() -> read("Hello O\nworld\n"))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining("test.txt:2")
        .hasMessageContaining("line 1");
  }

  @Test
  void iobTagSequencesAreNotRewritten() throws IOException {
    // Only the form of a tag is checked; an I- after O is kept as is.
    assertThat(read("a O\nb I-LOC\n").get(0).tags()).containsExactly("O", "I-LOC");
  }

  @Test
  void conll03CountsMatchTheReadme() throws IOException {
    Path dir = SharedData.require("conll2003");
    ConllReader reader = ConllReader.create();
    long t0 = System.nanoTime();
    List<Sentence> train = reader.read(dir.resolve("train.txt"));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("read CoNLL-03 train (" + train.size() + " sentences) in " + ms + " ms");
    List<Sentence> dev = reader.read(dir.resolve("dev.txt"));
    List<Sentence> test = reader.read(dir.resolve("test.txt"));

    assertThat(train).hasSize(14_041);
    assertThat(dev).hasSize(3_250);
    assertThat(test).hasSize(3_453);
    assertThat(tokens(train)).isEqualTo(203_621);
    assertThat(tokens(dev)).isEqualTo(51_362);
    assertThat(tokens(test)).isEqualTo(46_435);
    assertThat(entities(train))
        .isEqualTo(Map.of("LOC", 7_140L, "MISC", 3_438L, "ORG", 6_321L, "PER", 6_600L));
    assertThat(entities(train).values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(23_499);
    assertThat(entities(dev))
        .isEqualTo(Map.of("LOC", 1_837L, "MISC", 922L, "ORG", 1_341L, "PER", 1_842L));
    assertThat(entities(test))
        .isEqualTo(Map.of("LOC", 1_668L, "MISC", 702L, "ORG", 1_661L, "PER", 1_617L));
    assertThat(LabelSet.fromSentences(train).labels())
        .containsExactly(
            "O", "B-LOC", "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG", "B-PER", "I-PER");
    // Every entity starts with B- (the files are IOB2, not IOB1).
    for (Sentence s : train) {
      for (EntitySpan e : Spans.fromTags(s.tags())) {
        assertThat(s.tags().get(e.start())).startsWith("B-");
      }
    }
  }

  @Test
  void wikiannCountsAndPrefixStripping() throws IOException {
    Path dir = SharedData.require("wikiann-en");
    ConllReader reader = ConllReader.create();
    List<Sentence> train = reader.read(dir.resolve("train.txt"));
    List<Sentence> dev = reader.read(dir.resolve("dev.txt"));
    List<Sentence> test = reader.read(dir.resolve("test.txt"));
    assertThat(train).hasSize(20_000);
    assertThat(dev).hasSize(10_000);
    assertThat(test).hasSize(10_000);
    assertThat(train.get(0).words()).noneMatch(w -> w.startsWith("en:"));
    assertThat(total(entities(train))).isEqualTo(27_931);
    assertThat(total(entities(dev))).isEqualTo(14_146);
    assertThat(total(entities(test))).isEqualTo(13_958);
    assertThat(LabelSet.fromSentences(train).types()).containsExactly("LOC", "ORG", "PER");
  }

  private static long tokens(List<Sentence> sentences) {
    return sentences.stream().mapToLong(Sentence::size).sum();
  }

  private static long total(Map<String, Long> byType) {
    return byType.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Map<String, Long> entities(List<Sentence> sentences) {
    Map<String, Long> m = new TreeMap<>();
    for (Sentence s : sentences) {
      for (EntitySpan e : Spans.fromTags(s.tags())) {
        m.merge(e.type(), 1L, Long::sum);
      }
    }
    return m;
  }
}
