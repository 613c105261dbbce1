package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.registry.SchemaRegistryClient;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a record value can fail to decode, against an in-memory registry. */
class WireRecordDecoderTest {
  private static final SourcePosition AT = new SourcePosition("texts", 0, 7);

  private InMemoryRegistry registry;
  private StrataSerdes serdes;
  private WireRecordDecoder<TextRecord> decoder;

  @BeforeEach
  void start() throws Exception {
    registry = new InMemoryRegistry();
    serdes = StrataSerdes.confluent(registry.client());
    decoder = new WireRecordDecoder<>(serdes.text().deserializer(), "send TextRecord values");
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private byte[] encode(String text) {
    return serdes
        .text()
        .serializer()
        .serialize(
            "texts",
            TextRecord.newBuilder().setId("a").setText(text).setEventTime(Instant.EPOCH).build());
  }

  @Test
  void aGoodRecordIsDecoded() {
    WireRecordDecoder.Decoded<TextRecord> d = decoder.decode(AT, encode("Hello Paris"));
    assertThat(d.isRejected()).isFalse();
    assertThat(d.value().getText()).isEqualTo("Hello Paris");
  }

  @Test
  void recordFaultsAreRejectedWithTheirReason() {
    byte[] good = encode("x");
    assertThat(decoder.decode(AT, null))
        .isEqualTo(
            WireRecordDecoder.Decoded.rejected(
                DeadLetterReason.NULL_VALUE, "the record value is null"));
    WireRecordDecoder.Decoded<TextRecord> json =
        decoder.decode(AT, "{\"text\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(json.reason()).isEqualTo(DeadLetterReason.NOT_WIRE_FORMAT);
    assertThat(json.detail())
        .startsWith("first byte 0x7b, expected the magic byte 0x00")
        .endsWith(": send TextRecord values");
    byte[] unknownId =
        ByteBuffer.allocate(8).put((byte) 0).putInt(4242).put(new byte[] {2, 4, 6}).array();
    assertThat(decoder.decode(AT, unknownId).reason())
        .isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA_ID);
    assertThat(decoder.decode(AT, Arrays.copyOf(good, 7)).reason())
        .isEqualTo(DeadLetterReason.UNDECODABLE);
  }

  @Test
  void aRegistryOutageIsThrownNotDeadLettered() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    SchemaRegistryClient down =
        SchemaRegistryClient.builder()
            .addUrl("http://127.0.0.1:" + closedPort)
            .optConnectTimeout(Duration.ofSeconds(2))
            .build();
    byte[] good = encode("x"); // a schema id the dead registry cannot resolve
    WireRecordDecoder<TextRecord> offline =
        new WireRecordDecoder<>(StrataSerdes.confluent(down).text().deserializer(), "");

    assertThatThrownBy(() -> offline.decode(AT, good))
        .isInstanceOf(TransientStreamsException.class)
        .hasMessageContaining("Schema registry failure while decoding texts-0@7")
        .hasMessageContaining("not the record's fault");
  }
}
