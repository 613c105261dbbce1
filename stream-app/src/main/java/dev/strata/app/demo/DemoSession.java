package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import ch.qos.logback.classic.Level;
import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * A whole demo: makes sure Kafka and the registry run (starting the local ones when needed), opens
 * the model, runs a {@link DemoRun}, and on the way out (end of {@code --once}, Ctrl-C, SIGTERM or
 * an error) closes everything in reverse order, stopping the infrastructure only if it started it.
 */
public final class DemoSession {
  private final Path model;
  private final List<String> texts;
  private final String device;
  private final Duration interval;
  private final boolean once;
  private final LocalInfra infra;
  private final LocalInfra.Endpoints endpoints;
  private final PrintStream out;
  private final Path stateParent;

  private DemoSession(Builder b) {
    this.model = b.model;
    this.texts = b.texts;
    this.device = b.device;
    this.interval = b.interval;
    this.once = b.once;
    this.infra = b.infra;
    this.endpoints = b.endpoints;
    this.out = b.out;
    this.stateParent = b.stateParent;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the demo to its end.
   *
   * @return the exit code: 0 after {@code --once} completed or a stop was requested
   * @throws DemoException on failures the operator can fix; the message says how
   */
  public int run() throws IOException, InterruptedException {
    quietKafkaLogs();
    StopRequest stop = StopRequest.onSignals(out);
    boolean startedInfra = false;
    Path stateDir = null;
    try {
      LocalInfra.Endpoints ep = endpoints;
      if (ep == null) {
        if (infra.isReady()) {
          out.println("using the local Kafka and schema registry that are already running");
        } else {
          out.println("starting the local Kafka and schema registry...");
          // A failed start cleans up after itself (infra.sh stops whatever it had started).
          try {
            infra.start();
          } catch (DemoException e) {
            if (stop.isRequested()) {
              // Interrupted while starting: the servers may be half up; stop them (safe to repeat).
              startedInfra = true;
              return 0;
            }
            throw e;
          }
          startedInfra = true;
        }
        ep = infra.endpoints();
      }
      if (stop.isRequested()) {
        return 0;
      }
      Files.createDirectories(stateParent);
      stateDir = Files.createTempDirectory(stateParent, "streams-state-");
      StrataConfig config = DemoConfig.of(ep, model, stateDir);
      try (EntityTaggerAnnotator annotator = EntityTaggerAnnotator.open(model, "", device)) {
        out.printf(
            "model %s; application %s on %s, registry %s%n",
            annotator.modelVersion(),
            config.applicationId(),
            config.bootstrapServers(),
            config.schemaRegistryUrl());
        if (!stop.isRequested()) {
          new DemoRun(config, annotator, texts, interval, once, stop, out).run();
        }
      }
      return 0;
    } finally {
      if (stateDir != null) {
        deleteTree(stateDir);
      }
      if (startedInfra) {
        out.println("stopping the local Kafka and schema registry the demo started...");
        infra.stop();
      }
      out.flush();
    }
  }

  /** Kafka clients log every setting at INFO; the demo's output should stay readable. */
  private static void quietKafkaLogs() {
    if (System.getenv("STRATA_LOG_LEVEL") == null
        && LoggerFactory.getLogger("org.apache.kafka")
            instanceof ch.qos.logback.classic.Logger kafka) {
      kafka.setLevel(Level.WARN);
      // Kafka 4.x warns at every start about a handler for global stores; the topology has none.
      if (LoggerFactory.getLogger("org.apache.kafka.streams.StreamsConfig")
          instanceof ch.qos.logback.classic.Logger config) {
        config.setLevel(Level.ERROR);
      }
      // While Kafka Streams creates its internal topics at the first rebalance, the consumer
      // warns that they are unknown, several times; the demo's broker is local and managed.
      if (LoggerFactory.getLogger("org.apache.kafka.clients.NetworkClient")
          instanceof ch.qos.logback.classic.Logger network) {
        network.setLevel(Level.ERROR);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }

  /** Builds a {@link DemoSession}; {@link #build()} checks that it is complete. */
  public static final class Builder {
    private Path model;
    private List<String> texts;
    private String device = "auto";
    private Duration interval = Duration.ofMillis(800);
    private boolean once;
    private LocalInfra infra;
    private LocalInfra.Endpoints endpoints;
    private PrintStream out;
    private Path stateParent;

    private Builder() {}

    /**
     * Folder under which each run gets a Kafka Streams state directory, deleted at its end
     * (required; not the OS temp folder, which Kafka Streams warns against).
     */
    public Builder setStateParent(Path stateParent) {
      this.stateParent = stateParent;
      return this;
    }

    /** Model file written by {@code strata train} (required). */
    public Builder setModel(Path model) {
      this.model = model;
      return this;
    }

    /** Texts to feed (required, at least one). */
    public Builder setTexts(List<String> texts) {
      this.texts = texts == null ? null : List.copyOf(texts);
      return this;
    }

    /** Where the printed records go (required). */
    public Builder setOut(PrintStream out) {
      this.out = out;
      return this;
    }

    public Builder optDevice(String device) {
      this.device = device;
      return this;
    }

    /** Pause between two texts; default 800 ms. */
    public Builder optInterval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /** Feed each text once and finish when all came back. */
    public Builder optOnce(boolean once) {
      this.once = once;
      return this;
    }

    /** The local infrastructure to use, started when not running (this or endpoints). */
    public Builder optInfra(LocalInfra infra) {
      this.infra = infra;
      return this;
    }

    /** A running Kafka and registry to use instead of the local infrastructure. */
    public Builder optEndpoints(LocalInfra.Endpoints endpoints) {
      this.endpoints = endpoints;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the missing or bad field
     */
    public DemoSession build() {
      if (model == null) {
        throw new IllegalArgumentException("model is required");
      }
      if (texts == null || texts.isEmpty()) {
        throw new IllegalArgumentException("texts must hold at least one text");
      }
      requireNonNull(device, "device");
      if (stateParent == null) {
        throw new IllegalArgumentException("stateParent is required");
      }
      if (out == null) {
        throw new IllegalArgumentException("out is required");
      }
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("interval must be positive, got " + interval);
      }
      if ((infra == null) == (endpoints == null)) {
        throw new IllegalArgumentException("give exactly one of infra and endpoints");
      }
      return new DemoSession(this);
    }
  }
}
