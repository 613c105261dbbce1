package dev.strata.app.cli;

import dev.strata.app.feedback.FeedbackLoop;
import dev.strata.app.feedback.HeadCatalog;
import dev.strata.app.feedback.HeadPublisher;
import dev.strata.app.feedback.HeadRecords;
import dev.strata.app.feedback.HeadsTopic;
import dev.strata.app.feedback.HeadsTopicReader;
import dev.strata.app.stream.StrataConfig;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.schemas.avro.HeadRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code strata heads list|rollback}: versions of the published heads. */
@Command(
    name = "heads",
    mixinStandardHelpOptions = true,
    description = "Show and restore the head versions on the heads topic.",
    subcommands = {HeadsCommand.ListCommand.class, HeadsCommand.RollbackCommand.class})
final class HeadsCommand implements Runnable {
  static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static HeadsTopicReader.Contents read(
      StrataConfig config, StrataSerdes serdes, Predicate<HeadsTopic.Key> keepBytes) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            FeedbackLoop.watcherProperties(config),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      return HeadsTopicReader.read(
          consumer, config.headsTopic(), serdes.heads().deserializer(), keepBytes, READ_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new UserFacingException(e.getMessage(), e);
    }
  }

  /** {@code heads list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Every version of every head; '*' marks the serving one.")
  static final class ListCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      StrataConfig settings = config.load();
      StrataSerdes serdes = StrataSerdes.confluent(settings);
      try {
        HeadsTopicReader.Contents contents = read(settings, serdes, k -> false);
        print(spec.commandLine().getOut(), contents);
      } finally {
        serdes.close();
      }
      return 0;
    }
  }

  static void print(PrintWriter out, HeadsTopicReader.Contents contents) {
    HeadCatalog catalog = contents.catalog();
    if (catalog.names().isEmpty()) {
      out.println("no heads published yet");
    }
    out.printf(
        "%-20s %1s %7s %-20s %-24s %-12s %6s %8s %8s %8s%n",
        "head",
        "",
        "version",
        "created",
        "backbone",
        "sha256",
        "parent",
        "examples",
        "cand F1",
        "serv F1");
    for (String name : catalog.names()) {
      Optional<HeadRecord> serving = catalog.serving(name);
      for (HeadRecord r : catalog.versions(name)) {
        boolean current = serving.isPresent() && serving.get().getVersion() == r.getVersion();
        out.printf(
            "%-20s %1s %7d %-20s %-24s %-12s %6s %8d %8s %8s%n",
            name,
            current ? "*" : "",
            r.getVersion(),
            r.getCreatedTime().toString().replaceFirst("\\.\\d+Z$", "Z"),
            r.getBackbone(),
            r.getSha256().substring(0, Math.min(12, r.getSha256().length())),
            r.getParentVersion() == null ? "-" : r.getParentVersion().toString(),
            r.getFeedbackExamples(),
            r.getCandidateF1() == null ? "-" : String.format("%.4f", r.getCandidateF1()),
            r.getServingF1() == null ? "-" : String.format("%.4f", r.getServingF1()));
      }
      serving
          .filter(s -> s.getRolledBackFrom() != null)
          .ifPresent(
              s ->
                  out.printf(
                      "%-20s   (rolled back to v%d from v%d)%n",
                      "", s.getVersion(), s.getRolledBackFrom()));
    }
    for (String p : contents.problems()) {
      out.println("skipped " + p);
    }
    out.flush();
  }

  /** {@code heads rollback NAME VERSION}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Make an earlier version of a head the serving one: its history record is re-published"
              + " as the head's pointer, and every instance swaps to it between batches.")
  static final class RollbackCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Parameters(index = "0", paramLabel = "NAME", description = "Head name.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "Version to serve (>= 1).")
    long version;

    @Override
    public Integer call() {
      if (version < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "VERSION must be at least 1, got " + version);
      }
      StrataConfig settings = config.load();
      StrataSerdes serdes = StrataSerdes.confluent(settings);
      try {
        String wanted = HeadsTopic.historyKey(name, version);
        HeadsTopicReader.Contents contents =
            read(settings, serdes, k -> k.toString().equals(wanted));
        HeadRecord target = contents.withBytes().get(wanted);
        if (target == null) {
          List<Long> known =
              contents.catalog().versions(name).stream().map(HeadRecord::getVersion).toList();
          throw new UserFacingException(
              "head "
                  + name
                  + " has no intact version "
                  + version
                  + " on "
                  + settings.headsTopic()
                  + (known.isEmpty() ? " (no versions at all)" : "; known versions: " + known)
                  + ". See 'strata heads list'.");
        }
        Optional<HeadRecord> serving = contents.catalog().serving(name);
        PrintWriter out = spec.commandLine().getOut();
        if (serving.isPresent() && serving.get().getVersion() == version) {
          out.println(name + " already serves v" + version + "; nothing to do");
          out.flush();
          return 0;
        }
        HeadRecord pointer =
            HeadRecord.newBuilder(target)
                .setRolledBackFrom(serving.map(HeadRecord::getVersion).orElse(null))
                .build();
        try (HeadPublisher publisher =
            new HeadPublisher(
                new KafkaProducer<>(
                    FeedbackLoop.publisherProperties(settings),
                    new ByteArraySerializer(),
                    new ByteArraySerializer()),
                settings.headsTopic(),
                serdes.heads().serializer())) {
          publisher.pointTo(pointer);
        }
        out.println(
            "serving pointer of "
                + name
                + " now "
                + HeadRecords.describe(pointer)
                + serving.map(s -> " (was v" + s.getVersion() + ")").orElse(""));
        out.flush();
        return 0;
      } finally {
        serdes.close();
      }
    }
  }
}
