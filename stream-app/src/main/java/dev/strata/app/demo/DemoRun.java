package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One demo session against a running Kafka and registry: starts the stream application on the demo
 * topics, feeds the texts, and prints every output (and dead letter) of this session as it arrives,
 * read with {@code isolation.level=read_committed}, until stopped or, with {@code once}, until
 * every text came back.
 */
final class DemoRun {
  /** With {@code once}: how long to wait for the next output before giving up. */
  static final Duration ONCE_IDLE_TIMEOUT = Duration.ofSeconds(120);

  private static final Duration POLL = Duration.ofMillis(200);

  private final StrataConfig config;
  private final Annotator annotator;
  private final List<String> texts;
  private final Duration interval;
  private final boolean once;
  private final StopRequest stop;
  private final PrintStream out;
  private final String runId;

  DemoRun(
      StrataConfig config,
      Annotator annotator,
      List<String> texts,
      Duration interval,
      boolean once,
      StopRequest stop,
      PrintStream out) {
    this.config = requireNonNull(config, "config");
    this.annotator = requireNonNull(annotator, "annotator");
    this.texts = List.copyOf(texts);
    this.interval = requireNonNull(interval, "interval");
    this.once = once;
    this.stop = requireNonNull(stop, "stop");
    this.out = requireNonNull(out, "out");
    this.runId = "demo-" + Long.toString(System.currentTimeMillis(), 36);
  }

  /**
   * Runs until stopped (or, with {@code once}, until every text came back).
   *
   * @throws DemoException when the application stops on its own, a send fails, or outputs do not
   *     arrive in time
   */
  void run() throws InterruptedException {
    DemoTopics.ensure(config);
    try (StrataApp app = StrataApp.start(config, annotator);
        ConfluentAvroSerde<AnnotatedRecord> annotated =
            new ConfluentAvroSerde<>(AnnotatedRecord.class);
        KafkaConsumer<byte[], byte[]> consumer = outputConsumer()) {
      annotated.configure(config.serdeProperties(), false);
      stop.onRequest(consumer::wakeup);
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(config.outputTopic(), config.deadLetterTopic())) {
        for (PartitionInfo p : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(p.topic(), p.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position);
      out.printf(
          "feeding %d texts to %s %s; outputs from %s:%n%n",
          texts.size(),
          config.inputTopic(),
          once ? "once each" : "every " + interval.toMillis() + " ms, cycling (Ctrl-C stops)",
          config.outputTopic());
      try (TextFeeder feeder =
          new TextFeeder(textProducer(), config.inputTopic(), texts, runId, interval, once)) {
        feeder.start();
        loop(app, consumer, annotated, feeder);
      }
    }
  }

  private void loop(
      StrataApp app,
      KafkaConsumer<byte[], byte[]> consumer,
      ConfluentAvroSerde<AnnotatedRecord> annotated,
      TextFeeder feeder) {
    int received = 0;
    long lastProgress = System.nanoTime();
    String prefix = runId + "-";
    while (!stop.isRequested()) {
      Iterable<ConsumerRecord<byte[], byte[]>> records;
      try {
        records = consumer.poll(POLL);
      } catch (WakeupException e) {
        break;
      }
      for (ConsumerRecord<byte[], byte[]> r : records) {
        if (r.topic().equals(config.outputTopic())) {
          AnnotatedRecord a =
              annotated.deserializer().deserialize(r.topic(), r.headers(), r.value());
          if (a != null && a.getInputId().startsWith(prefix)) {
            received++;
            out.print(label(a.getInputId().substring(prefix.length()), received));
            out.println(AnnotationFormat.format(a));
          }
        } else {
          String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
          if (key.startsWith(prefix)) {
            received++;
            out.print(label(key.substring(prefix.length()), received));
            out.printf(
                "dead letter: %s (%s)%n%n",
                header(r, "strata.dlq.reason"), header(r, "strata.dlq.exception"));
          }
        }
        lastProgress = System.nanoTime();
      }
      if (feeder.failure() != null) {
        throw new DemoException(
            "sending to " + config.inputTopic() + " failed: " + feeder.failure().getMessage(),
            feeder.failure());
      }
      KafkaStreams.State state = app.streams().state();
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING) {
        throw new DemoException(
            "the stream application stopped (state " + state + "); its log above says why");
      }
      if (once && feeder.finished()) {
        if (received >= texts.size()) {
          out.printf("all %d texts annotated%n", received);
          return;
        }
        if (System.nanoTime() - lastProgress > ONCE_IDLE_TIMEOUT.toNanos()) {
          throw new DemoException(
              (texts.size() - received)
                  + " of "
                  + texts.size()
                  + " outputs did not arrive within "
                  + ONCE_IDLE_TIMEOUT.toSeconds()
                  + " s; see the log above");
        }
      }
    }
  }

  private String label(String n, int received) {
    return once ? "[" + received + "/" + texts.size() + "] " : "[" + n + "] ";
  }

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? "?" : new String(h.value(), StandardCharsets.UTF_8);
  }

  private KafkaConsumer<byte[], byte[]> outputConsumer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "strata-demo-printer");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private KafkaProducer<String, TextRecord> textProducer() {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "strata-demo-feeder");
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    ConfluentAvroSerde<TextRecord> serde = new ConfluentAvroSerde<>(TextRecord.class);
    serde.configure(config.serdeProperties(), false);
    return new KafkaProducer<>(p, new StringSerializer(), serde.serializer());
  }
}
