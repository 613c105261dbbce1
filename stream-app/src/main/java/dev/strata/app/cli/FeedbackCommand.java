package dev.strata.app.cli;

import dev.strata.app.feedback.FeedbackVerdict;
import dev.strata.app.feedback.StructuralFeedbackValidator;
import dev.strata.app.stream.StrataConfig;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.schemas.avro.FeedbackRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata feedback}: a labelled CoNLL file as feedback records for one head. */
@Command(
    name = "feedback",
    mixinStandardHelpOptions = true,
    description = {
      "Send each sentence of a labelled CoNLL file to the feedback topic as a FeedbackRecord"
          + " (tokens + IOB2 tags) for one head; a new head name creates a new head.",
      "Sentences that fail the structural checks are reported and not sent."
    })
final class FeedbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConfigOption config;

  @Option(names = "--head", required = true, description = "Head the examples train.")
  String head;

  @Option(names = "--file", required = true, description = "Labelled CoNLL file.")
  Path file;

  @Option(names = "--limit", description = "Send only the first N sentences.")
  Integer limit;

  @Option(
      names = "--id-prefix",
      description = "Example ids are PREFIX:INDEX. Default: the file name.")
  String idPrefix;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!StructuralFeedbackValidator.HEAD_NAME.matcher(head).matches()) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--head '" + head + "' may hold only letters, digits, '.', '_' and '-'");
    }
    if (limit != null && limit < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--limit must be at least 1, got " + limit);
    }
    if (!Files.isRegularFile(file)) {
      throw new UserFacingException("CoNLL file " + file + " does not exist");
    }
    StrataConfig settings = config.load();
    List<Sentence> sentences = ConllReader.create().read(file);
    if (limit != null && sentences.size() > limit) {
      sentences = sentences.subList(0, limit);
    }
    String prefix = idPrefix != null ? idPrefix : file.getFileName().toString();
    StructuralFeedbackValidator validator = new StructuralFeedbackValidator();
    PrintWriter out = spec.commandLine().getOut();
    Instant now = Instant.now();
    List<FeedbackRecord> records = new ArrayList<>();
    int skipped = 0;
    for (int i = 0; i < sentences.size(); i++) {
      Sentence s = sentences.get(i);
      if (!s.labeled()) {
        throw new UserFacingException(
            file + " sentence " + (i + 1) + " has no tags; feedback needs a labelled CoNLL file");
      }
      FeedbackRecord r =
          FeedbackRecord.newBuilder()
              .setId(prefix + ":" + i)
              .setHead(head)
              .setText(SentenceTexts.text(s.words()))
              .setTokens(new ArrayList<>(s.words()))
              .setTags(new ArrayList<>(s.tags()))
              .setSource("strata feedback " + file.getFileName())
              .setEventTime(now)
              .build();
      FeedbackVerdict v = validator.check(r);
      if (!v.valid()) {
        skipped++;
        if (skipped <= 10) {
          out.println("skipping sentence " + (i + 1) + ": " + v.problem() + ": " + v.message());
        }
        continue;
      }
      records.add(r);
    }
    StrataSerdes serdes = StrataSerdes.confluent(settings);
    java.util.Properties props = settings.clientProperties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], FeedbackRecord> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), serdes.feedback().serializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (FeedbackRecord r : records) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    settings.feedbackTopic(), r.getId().getBytes(StandardCharsets.UTF_8), r)));
      }
      for (Future<RecordMetadata> f : sent) {
        f.get();
      }
    } catch (ExecutionException e) {
      throw new UserFacingException(
          "sending feedback to "
              + settings.feedbackTopic()
              + " failed: "
              + e.getCause().getMessage()
              + (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                  ? " (is Kafka at "
                      + settings.bootstrapServers()
                      + " reachable, and does the topic exist? 'strata topics list --config "
                      + config.file
                      + "' shows both)"
                  : ""),
          e.getCause());
    } finally {
      serdes.close();
    }
    out.printf(
        "sent %d feedback examples for head %s to %s%s%n",
        records.size(),
        head,
        settings.feedbackTopic(),
        skipped == 0 ? "" : " (" + skipped + " skipped)");
    out.flush();
    return 0;
  }
}
