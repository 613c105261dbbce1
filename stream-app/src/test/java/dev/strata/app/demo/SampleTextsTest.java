package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleTextsTest {

  @Test
  void bundledSampleHasAboutThirtyNewsSentencesWithNonAsciiNames() {
    List<String> texts = SampleTexts.bundled();
    assertThat(texts).hasSizeBetween(25, 40).doesNotHaveDuplicates();
    assertThat(texts).allSatisfy(t -> assertThat(t).isNotBlank().doesNotStartWith("#"));
    assertThat(texts.get(0)).startsWith("Maria Fernández joined Nordlicht Energie AG in Zürich");
    assertThat(texts.stream().filter(t -> !t.chars().allMatch(c -> c < 128)).count())
        .isGreaterThanOrEqualTo(5);
  }

  @Test
  void skipsBlankAndCommentLinesAndTrims() {
    assertThat(SampleTexts.parse("# header\n\n  One text.  \r\n#x\nTwo.\n", "t"))
        .containsExactly("One text.", "Two.");
  }

  @Test
  void readsAUtf8File(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("t.txt");
    Files.writeString(f, "Søren Kjærgaard in Aalborg\n", StandardCharsets.UTF_8);
    assertThat(SampleTexts.read(f)).containsExactly("Søren Kjærgaard in Aalborg");
  }

  @Test
  void aFileWithoutTextIsRefusedSayingWhatToPutThere(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("empty.txt");
    Files.writeString(f, "# only a comment\n\n");
    assertThatThrownBy(() -> SampleTexts.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f.toString())
        .hasMessageContaining("one text per line");
  }
}
