package dev.strata.app.feedback;

import static dev.strata.app.feedback.HeadsTopicFixture.TOPIC;
import static dev.strata.app.feedback.HeadsTopicFixture.head;
import static dev.strata.app.feedback.HeadsTopicFixture.publish;
import static dev.strata.app.feedback.HeadsTopicFixture.topicHolding;
import static dev.strata.app.feedback.HeadsTopicFixture.unreachableRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.app.stream.InMemoryRegistry;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.schemas.avro.HeadRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The heads commands' one-off read of the whole heads topic. */
class HeadsTopicReaderTest {
  private InMemoryRegistry registry;
  private StrataSerdes serdes;

  @BeforeEach
  void setUp() throws IOException {
    registry = new InMemoryRegistry();
    serdes = StrataSerdes.confluent(registry.client());
  }

  @AfterEach
  void tearDown() {
    registry.close();
  }

  @Test
  void readsToTheEndAndKeepsOnlyTheWantedBytes() {
    HeadRecord v1 = head("custom", 1, new byte[] {1});
    HeadRecord v2 = head("custom", 2, new byte[] {2});
    HeadRecord bad = head("other", 1, new byte[] {5});
    bad.setSha256(HeadRecords.sha256(new byte[] {6}));
    List<ProducerRecord<byte[], byte[]>> sent = publish(serdes, v1, v2, bad);
    MockConsumer<byte[], byte[]> c = topicHolding(sent);

    HeadsTopicReader.Contents contents =
        HeadsTopicReader.read(
            c,
            TOPIC,
            serdes.heads().deserializer(),
            k -> k.toString().equals("custom@1"),
            java.time.Duration.ofSeconds(10));

    assertThat(contents.withBytes()).containsOnlyKeys("custom@1");
    assertThat(HeadRecords.bytes(contents.withBytes().get("custom@1"))).containsExactly(1);
    assertThat(contents.catalog().serving("custom")).contains(v2);
    assertThat(contents.catalog().versions("custom")).hasSize(2);
    assertThat(contents.catalog().serving("other")).isEmpty();
    assertThat(contents.problems()).hasSize(2).allMatch(line -> line.contains("corrupt"));
  }

  @Test
  void leavesOutDeletedVersions() {
    List<ProducerRecord<byte[], byte[]>> sent =
        new ArrayList<>(
            publish(serdes, head("custom", 1, new byte[] {1}), head("custom", 2, new byte[] {2})));
    sent.add(new ProducerRecord<>(TOPIC, "custom@1".getBytes(StandardCharsets.UTF_8), null));
    MockConsumer<byte[], byte[]> c = topicHolding(sent);

    HeadsTopicReader.Contents contents =
        HeadsTopicReader.read(
            c, TOPIC, serdes.heads().deserializer(), k -> true, java.time.Duration.ofSeconds(10));

    assertThat(contents.withBytes()).containsOnlyKeys("custom@2");
    assertThat(contents.catalog().versions("custom"))
        .extracting(HeadRecord::getVersion)
        .containsExactly(2L);
    assertThat(contents.problems()).isEmpty();
  }

  @Test
  void stopsOnARegistryOutageInsteadOfListingProblems() throws IOException {
    MockConsumer<byte[], byte[]> c =
        topicHolding(publish(serdes, head("custom", 1, new byte[] {1})));
    Deserializer<HeadRecord> unreachable = unreachableRegistry();

    assertThatThrownBy(
            () ->
                HeadsTopicReader.read(
                    c, TOPIC, unreachable, k -> true, java.time.Duration.ofSeconds(10)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the schema registry failed while reading heads record heads-0@0")
        .hasMessageContaining("Check schema.registry.url");
  }
}
