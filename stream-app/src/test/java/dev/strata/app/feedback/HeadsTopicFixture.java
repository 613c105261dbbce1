package dev.strata.app.feedback;

import dev.strata.app.stream.StrataSerdes;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Heads records, a mock heads topic and an unreachable registry for the heads-topic tests. */
final class HeadsTopicFixture {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final String TOPIC = "heads";

  private HeadsTopicFixture() {}

  /** Version {@code version} of head {@code name} on backbone "bb", holding {@code bytes}. */
  static HeadRecord head(String name, long version, byte[] bytes) {
    return HeadRecords.builder(name, version, "bb", T0.plusSeconds(version), bytes)
        .setParentVersion(version > 1 ? version - 1 : null)
        .setFeedbackExamples(200)
        .setCandidateF1(0.91)
        .build();
  }

  /** What {@link HeadPublisher#publish} writes for each of {@code records}, in order. */
  static List<ProducerRecord<byte[], byte[]>> publish(StrataSerdes serdes, HeadRecord... records) {
    MockProducer<byte[], byte[]> producer =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    try (HeadPublisher publisher =
        new HeadPublisher(producer, TOPIC, serdes.heads().serializer())) {
      for (HeadRecord r : records) {
        publisher.publish(r);
      }
    }
    return producer.history();
  }

  /** A consumer of a one-partition heads topic that holds {@code sent}, for the reader. */
  static MockConsumer<byte[], byte[]> topicHolding(List<ProducerRecord<byte[], byte[]>> sent) {
    MockConsumer<byte[], byte[]> c = new MockConsumer<>("earliest");
    TopicPartition p0 = new TopicPartition(TOPIC, 0);
    c.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    c.updateBeginningOffsets(Map.of(p0, 0L));
    c.updateEndOffsets(Map.of(p0, (long) sent.size()));
    c.schedulePollTask(
        () -> {
          for (int i = 0; i < sent.size(); i++) {
            c.addRecord(new ConsumerRecord<>(TOPIC, 0, i, sent.get(i).key(), sent.get(i).value()));
          }
        });
    return c;
  }

  /** A heads deserializer whose registry does not answer (nothing listens on its port). */
  static Deserializer<HeadRecord> unreachableRegistry() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    return StrataSerdes.confluent(
            SchemaRegistryClient.builder()
                .addUrl("http://127.0.0.1:" + closedPort)
                .optConnectTimeout(Duration.ofSeconds(2))
                .build())
        .heads()
        .deserializer();
  }
}
