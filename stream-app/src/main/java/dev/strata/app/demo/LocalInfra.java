package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The local Kafka broker and schema registry of {@code deploy/infra/infra.sh}, driven through the
 * script (ports come from the same {@code STRATA_*} environment variables, inherited). The script's
 * own messages (fetching, ports taken, JDK fallback) go straight to the terminal.
 */
public final class LocalInfra {
  /** Where the script lives under the project folder. */
  public static final String SCRIPT = "deploy/infra/infra.sh";

  /** Where the script writes the client settings under the project folder. */
  public static final String ENV_FILE = "target/infra/run/env";

  private final Path script;
  private final Path envFile;

  private LocalInfra(Path script, Path envFile) {
    this.script = script;
    this.envFile = envFile;
  }

  /**
   * The infrastructure of the project in {@code home}.
   *
   * @throws DemoException when {@code home} holds no infra script
   */
  public static LocalInfra of(Path home) {
    requireNonNull(home, "home");
    Path script = home.resolve(SCRIPT);
    if (!Files.isRegularFile(script)) {
      throw new DemoException(
          "cannot find "
              + SCRIPT
              + " under "
              + home.toAbsolutePath().normalize()
              + "; run the demo through ./strata from the project folder, or pass"
              + " --bootstrap-servers and --schema-registry-url of a running Kafka and registry");
    }
    return new LocalInfra(script, home.resolve(ENV_FILE));
  }

  /** Whether both servers answer ({@code infra.sh status} exits 0); prints nothing. */
  public boolean isReady() throws InterruptedException {
    return run(false, "status") == 0;
  }

  /**
   * Starts both servers and waits until they answer.
   *
   * @throws DemoException when the script fails (it has said why)
   */
  public void start() throws InterruptedException {
    int rc = run(true, "start");
    if (rc != 0) {
      throw new DemoException(
          "the local Kafka and schema registry did not start ("
              + SCRIPT
              + " start exited "
              + rc
              + "; its message is above); fix that and run the demo again");
    }
  }

  /** Stops both servers; returns the script's exit code. */
  public int stop() throws InterruptedException {
    return run(true, "stop");
  }

  /**
   * The client settings the script wrote.
   *
   * @throws DemoException when the settings file is missing or incomplete
   */
  public Endpoints endpoints() throws IOException {
    if (!Files.isRegularFile(envFile)) {
      throw new DemoException(
          envFile + " does not exist; start the infrastructure with ./strata infra start");
    }
    return Endpoints.fromEnvFile(Files.readString(envFile, StandardCharsets.UTF_8), envFile);
  }

  private int run(boolean showOutput, String command) throws InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), command);
    if (showOutput) {
      pb.inheritIO();
    } else {
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    try {
      return pb.start().waitFor();
    } catch (IOException e) {
      throw new DemoException("cannot run " + script + ": " + e.getMessage(), e);
    }
  }

  /**
   * Where the clients connect.
   *
   * @param bootstrapServers Kafka {@code host:port}
   * @param schemaRegistryUrl Confluent-compatible registry URL
   */
  public record Endpoints(String bootstrapServers, String schemaRegistryUrl) {
    public Endpoints {
      requireNonNull(bootstrapServers, "bootstrapServers");
      requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    }

    /** Parses {@code KEY=value} lines; {@code source} is named in errors. */
    static Endpoints fromEnvFile(String content, Path source) {
      Map<String, String> values = new HashMap<>();
      content
          .lines()
          .forEach(
              line -> {
                int eq = line.indexOf('=');
                if (eq > 0) {
                  values.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
                }
              });
      String bootstrap = values.get("bootstrap.servers");
      String registry = values.get("schema.registry.url");
      if (bootstrap == null || bootstrap.isEmpty() || registry == null || registry.isEmpty()) {
        throw new DemoException(
            source
                + " lacks bootstrap.servers or schema.registry.url; restart the infrastructure"
                + " with ./strata infra stop and ./strata infra start");
      }
      return new Endpoints(bootstrap, registry);
    }
  }
}
