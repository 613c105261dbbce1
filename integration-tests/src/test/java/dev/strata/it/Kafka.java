package dev.strata.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Plain clients on the real broker: topics, a byte producer, a read_committed reader. */
final class Kafka {
  private final RealInfra infra;

  Kafka(RealInfra infra) {
    this.infra = infra;
  }

  /** {@code prefix-<random>}: the broker is shared by every test, so names never repeat. */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates the topics and waits until the broker lists them. */
  void createTopics(int partitions, String... names) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers()))) {
      List<NewTopic> topics = new ArrayList<>();
      for (String n : names) {
        topics.add(new NewTopic(n, partitions, (short) 1));
      }
      admin.createTopics(topics).all().get();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!admin.listTopics().names().get().containsAll(Set.of(names))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topics " + List.of(names) + " not listed after 30 s");
        }
        Thread.sleep(100);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot create topics " + List.of(names), e.getCause());
    }
  }

  KafkaProducer<byte[], byte[]> producer() {
    return producer(Map.of());
  }

  /** An idempotent byte producer with {@code overrides} on top (e.g. a larger request size). */
  KafkaProducer<byte[], byte[]> producer(Map<String, Object> overrides) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.putAll(overrides);
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Reads {@code topic} from the beginning with {@code isolation.level=read_committed} until {@code
   * done} holds for what was read, or {@code timeout} passes; then keeps polling for {@code settle}
   * to catch anything that should not be there (duplicates, extra records).
   */
  List<ConsumerRecord<byte[], byte[]>> readCommitted(
      String topic,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout,
      Duration settle) {
    return read(topic, IsolationLevel.READ_COMMITTED, done, timeout, settle);
  }

  /** Like {@link #readCommitted} with the given isolation level. */
  List<ConsumerRecord<byte[], byte[]>> read(
      String topic,
      IsolationLevel isolation,
      Predicate<List<ConsumerRecord<byte[], byte[]>>> done,
      Duration timeout,
      Duration settle) {
    try (Reader reader = reader(topic, isolation)) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.test(reader.records()) && System.nanoTime() < deadline) {
        reader.poll();
      }
      long settleEnd = System.nanoTime() + settle.toNanos();
      while (System.nanoTime() < settleEnd) {
        reader.poll();
      }
      return reader.records();
    }
  }

  /** A reader of every partition of {@code topic} from the beginning. */
  Reader reader(String topic, IsolationLevel isolation) {
    return new Reader(topic, isolation);
  }

  /** Accumulates what a consumer with one isolation level sees on one topic. */
  final class Reader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    private Reader(String topic, IsolationLevel isolation) {
      Map<String, Object> c = new HashMap<>();
      c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.bootstrapServers());
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation.toString().toLowerCase(Locale.ROOT));
      c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<TopicPartition> parts =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(pi -> new TopicPartition(topic, pi.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    /** Polls once (up to 100 ms) and returns how many records were read in total. */
    int poll() {
      consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      return records.size();
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
      return records;
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
