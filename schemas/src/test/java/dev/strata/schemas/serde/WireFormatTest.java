package dev.strata.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WireFormatTest {
  @Test
  void aWellFormedHeaderHasNoProblem() {
    assertThat(WireFormat.headerProblem(new byte[] {0, 0, 0, 0, 7})).isEmpty();
    assertThat(WireFormat.headerProblem(new byte[] {0, 0, 0, 1, 2, 42, 42})).isEmpty();
  }

  @Test
  void aShortRecordSaysHowManyBytesItHasAndNeeds() {
    assertThat(WireFormat.headerProblem(new byte[] {0, 0, 1}))
        .hasValue(
            "only 3 bytes; the Confluent wire format needs at least 5 (magic byte 0x00 and a"
                + " 4-byte schema id)");
    assertThat(WireFormat.headerProblem(new byte[0])).get().asString().startsWith("only 0 bytes");
  }

  @Test
  void aWrongFirstByteIsNamedInHex() {
    assertThat(
            WireFormat.headerProblem(
                "{\"text\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .get()
        .asString()
        .startsWith("first byte 0x7b, expected the magic byte 0x00")
        .contains("schema-registry Avro serializer");
  }
}
