package dev.strata.app.cli;

import dev.strata.app.stream.StrataConfig;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.eval.EntityScorer;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.TextRecord;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata stream-eval}: entity P/R/F1 of one head, measured through the running pipeline. */
@Command(
    name = "stream-eval",
    mixinStandardHelpOptions = true,
    description = {
      "Send each sentence of a labelled CoNLL file to the input topic as a TextRecord (words"
          + " joined by spaces, a unique id), collect the AnnotatedRecords of those ids from the"
          + " output topic, map the head's entity spans to word tags and print entity P/R/F1"
          + " (conlleval conventions) against the gold tags.",
      "Texts with no output before --timeout are scored as predicting no entity and counted."
    })
final class StreamEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--head", required = true, description = "Head whose entities are scored.")
  String head;

  @Option(names = "--data", required = true, description = "Labelled CoNLL file.")
  Path data;

  @Option(names = "--limit", description = "Use only the first N sentences.")
  Integer limit;

  @Option(
      names = "--timeout",
      defaultValue = "PT2M",
      description = "How long to wait for the outputs (ISO-8601, e.g. PT30S). Default: 2 minutes.")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--limit must be at least 1, got " + limit);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--timeout must be positive, got " + timeout);
    }
    if (!Files.isRegularFile(data)) {
      throw new UserFacingException("CoNLL file " + data + " does not exist");
    }
    StrataConfig settings = config.load();
    List<Sentence> sentences = ConllReader.create().read(data);
    if (limit != null && sentences.size() > limit) {
      sentences = sentences.subList(0, limit);
    }
    String run = "eval-" + UUID.randomUUID();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < sentences.size(); i++) {
      if (!sentences.get(i).labeled()) {
        throw new UserFacingException(data + " sentence " + (i + 1) + " has no tags");
      }
      index.put(run + ":" + i, i);
    }
    StrataSerdes serdes = StrataSerdes.confluent(settings);
    Map<Integer, AnnotatedRecord> outputs = new HashMap<>();
    Instant start = Instant.now();
    try (KafkaConsumer<byte[], byte[]> consumer = outputConsumer(settings);
        KafkaProducer<byte[], TextRecord> producer = producer(settings, serdes)) {
      List<TopicPartition> parts = assignAtEnd(consumer, settings.outputTopic());
      for (TopicPartition p : parts) {
        consumer.position(p); // resolve "end" now, before anything is produced
      }
      Instant eventTime = Instant.now();
      for (Map.Entry<String, Integer> e : index.entrySet()) {
        TextRecord t =
            TextRecord.newBuilder()
                .setId(e.getKey())
                .setText(SentenceTexts.text(sentences.get(e.getValue()).words()))
                .setEventTime(eventTime)
                .build();
        producer.send(
            new ProducerRecord<>(
                settings.inputTopic(), e.getKey().getBytes(StandardCharsets.UTF_8), t));
      }
      producer.flush();
      Instant deadline = Instant.now().plus(timeout);
      while (outputs.size() < index.size() && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          AnnotatedRecord a;
          try {
            a = serdes.annotated().deserializer().deserialize(r.topic(), r.value());
          } catch (RuntimeException ex) {
            continue;
          }
          Integer i = a == null ? null : index.get(a.getInputId());
          if (i != null) {
            outputs.put(i, a);
          }
        }
      }
    } finally {
      serdes.close();
    }
    EntityScorer scorer = new EntityScorer();
    Map<String, Integer> versions = new TreeMap<>();
    for (int i = 0; i < sentences.size(); i++) {
      Sentence s = sentences.get(i);
      AnnotatedRecord a = outputs.get(i);
      List<String> predicted;
      if (a == null) {
        predicted = new ArrayList<>();
        s.words().forEach(w -> predicted.add("O"));
      } else {
        predicted = SentenceTexts.tags(s.words(), a.getEntities(), head);
        String v = a.getModel().getHeads().get(head);
        versions.merge(v == null ? "(head not serving)" : v, 1, Integer::sum);
      }
      scorer.add(s.tags(), predicted);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "%d sentences sent, %d annotated in %.1f s; head %s versions seen: %s%n",
        sentences.size(),
        outputs.size(),
        Duration.between(start, Instant.now()).toMillis() / 1000.0,
        head,
        versions);
    if (outputs.size() < sentences.size()) {
      out.printf(
          "warning: %d texts had no output within %s; they count as predicting no entity%n",
          sentences.size() - outputs.size(), timeout);
    }
    out.println(scorer.scores().toTable());
    out.flush();
    return outputs.isEmpty() ? 1 : 0;
  }

  private static KafkaConsumer<byte[], byte[]> outputConsumer(StrataConfig settings) {
    Properties p = settings.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static KafkaProducer<byte[], TextRecord> producer(
      StrataConfig settings, StrataSerdes serdes) {
    Properties p = settings.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p, new ByteArraySerializer(), serdes.text().serializer());
  }

  private static List<TopicPartition> assignAtEnd(
      KafkaConsumer<byte[], byte[]> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    if (infos == null || infos.isEmpty()) {
      throw new UserFacingException(
          "output topic " + topic + " does not exist; is 'strata run' running with this config?");
    }
    List<TopicPartition> parts = new ArrayList<>();
    infos.forEach(i -> parts.add(new TopicPartition(topic, i.partition())));
    consumer.assign(parts);
    consumer.seekToEnd(parts);
    return parts;
  }
}
