package dev.strata.app.cli;

import dev.strata.app.feedback.HeadsTopic;
import dev.strata.app.stream.AppTopics;
import dev.strata.app.stream.StrataConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code strata topics list|create}: the topics the application reads and writes. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description =
        "Show and create the topics of a configuration: input, feedback, output, dead-letter and"
            + " heads.",
    subcommands = {TopicsCommand.ListCommand.class, TopicsCommand.CreateCommand.class})
final class TopicsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The application's topics plus the heads topic. */
  static List<AppTopics.Topic> all(StrataConfig config) {
    List<AppTopics.Topic> topics = new ArrayList<>(AppTopics.of(config));
    topics.add(headsTopic(config));
    return topics;
  }

  static AppTopics.Topic headsTopic(StrataConfig config) {
    return new AppTopics.Topic(StrataConfig.TOPIC_HEADS, config.headsTopic(), false);
  }

  static void print(PrintWriter out, List<AppTopics.Status> status) {
    out.printf("%-18s %-32s %-10s %s%n", "key", "topic", "partitions", "read by the application");
    for (AppTopics.Status s : status) {
      out.printf(
          "%-18s %-32s %-10s %s%n",
          s.topic().key(),
          s.topic().name(),
          switch (s.state()) {
            case EXISTS -> Integer.toString(s.partitions());
            case MISSING -> "missing";
            case NOT_AUTHORIZED -> "no DESCRIBE";
          },
          s.topic().source() ? "yes (must exist before 'strata run')" : "no");
    }
    out.flush();
  }

  private static Admin admin(StrataConfig config) {
    return AppTopics.admin(config, "strata-topics");
  }

  /** {@code topics list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Each topic of the configuration with its partition count, or 'missing'.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {
        "0:every topic exists",
        "2:bad configuration, or Kafka did not answer",
        "3:a topic is missing, or this client may not describe it"
      })
  static final class ListCommand implements Callable<Integer> {
    static final int SOME_MISSING = 3;

    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Override
    public Integer call() {
      StrataConfig settings = config.load();
      try (Admin admin = admin(settings)) {
        List<AppTopics.Status> status = AppTopics.describe(admin, all(settings));
        print(spec.commandLine().getOut(), status);
        return status.stream().allMatch(AppTopics.Status::exists) ? 0 : SOME_MISSING;
      }
    }
  }

  /** {@code topics create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create the missing topics of the configuration; existing topics are left as they are.",
        "The heads topic is created with one partition and cleanup.policy=compact (as 'strata"
            + " run' would); the others with --partitions. All get --replication-factor."
      })
  static final class CreateCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOption config;

    @Option(
        names = "--partitions",
        paramLabel = "N",
        description =
            "Partitions of each new topic (the input topic's count caps the number of stream"
                + " tasks); default: the broker's num.partitions.")
    Integer partitions;

    @Option(
        names = "--replication-factor",
        paramLabel = "R",
        description = "Replication factor of each new topic; default: the broker's default.")
    Short replicationFactor;

    @Override
    public Integer call() {
      if (partitions != null && partitions < 1) {
        throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
      }
      if (replicationFactor != null && replicationFactor < 1) {
        throw new IllegalArgumentException(
            "--replication-factor must be at least 1, got " + replicationFactor);
      }
      StrataConfig settings = config.load();
      PrintWriter out = spec.commandLine().getOut();
      try (Admin admin = admin(settings)) {
        List<AppTopics.Topic> created =
            AppTopics.createMissing(
                admin,
                AppTopics.of(settings),
                Optional.ofNullable(partitions),
                Optional.ofNullable(replicationFactor));
        created.forEach(t -> out.println("created " + t));
        AppTopics.Topic heads = headsTopic(settings);
        AppTopics.Status headsStatus = AppTopics.describe(admin, List.of(heads)).get(0);
        if (headsStatus.state() == AppTopics.State.NOT_AUTHORIZED) {
          throw new UserFacingException(
              "not authorized to describe "
                  + heads
                  + ": grant this client's principal DESCRIBE on it (and CREATE to make it).");
        }
        if (!headsStatus.exists()) {
          HeadsTopic.ensureExists(
              admin,
              settings.headsTopic(),
              settings.headsMaxBytes(),
              Optional.ofNullable(replicationFactor));
          AppTopics.awaitListed(admin, List.of(heads));
          out.println("created " + heads);
        }
        print(out, AppTopics.describe(admin, all(settings)));
      }
      return 0;
    }
  }
}
