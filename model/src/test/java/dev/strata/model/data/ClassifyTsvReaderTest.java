package dev.strata.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassifyTsvReaderTest {

  private static List<LabeledText> read(String text) throws IOException {
    return ClassifyTsvReader.read(new StringReader(text), "cls.tsv");
  }

  @Test
  void splitsAtTheFirstTabAndSkipsBlankLines() throws IOException {
    assertThat(read("pos\tGreat film\n\nneg\tbad\tand long\r\n"))
        .containsExactly(
            new LabeledText("pos", "Great film"), new LabeledText("neg", "bad\tand long"));
  }

  @Test
  void missingTabOrEmptyFieldNamesFileAndLine() {
    assertThatThrownBy(() -> read("pos\tok\nno tab here\n"))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith("cls.tsv:2:")
        .hasMessageContaining("'no tab here'")
        .hasMessageContaining("label<TAB>text");
    assertThatThrownBy(() -> read("\tsome text\n")).hasMessageContaining("cls.tsv:1: empty label");
    assertThatThrownBy(() -> read("pos\t \n")).hasMessageContaining("cls.tsv:1: empty text");
  }
}
