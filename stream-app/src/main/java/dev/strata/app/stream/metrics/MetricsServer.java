package dev.strata.app.stream.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * A small HTTP endpoint: {@code GET /metrics} in the Prometheus text format, {@code GET
 * /health/live} (liveness; {@code /health} is an alias) and {@code GET /health/ready} (readiness),
 * each 200 {@code UP} or 503 {@code DOWN} as {@link Health} says.
 */
public final class MetricsServer implements AutoCloseable {
  /** Prometheus scrape path. */
  public static final String METRICS_PATH = "/metrics";

  /** Liveness: 503 means restart the process. */
  public static final String LIVE_PATH = "/health/live";

  /** Readiness: 200 only while processing. */
  public static final String READY_PATH = "/health/ready";

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on all interfaces.
   *
   * @param port TCP port, 0 for an ephemeral one
   * @param health what the health endpoints answer
   * @throws UncheckedIOException naming the port when it cannot be bound
   */
  public static MetricsServer start(int port, PrometheusMeterRegistry registry, Health health) {
    requireNonNull(registry, "registry");
    requireNonNull(health, "health");
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot open the metrics endpoint on port "
              + port
              + " ("
              + e.getMessage()
              + "); free the port or set metrics.port to another one (0 disables it)",
          e);
    }
    server.createContext(
        METRICS_PATH,
        ex -> reply(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(LIVE_PATH, ex -> replyHealth(ex, health.live()));
    server.createContext(READY_PATH, ex -> replyHealth(ex, health.ready()));
    server.createContext(
        "/health",
        ex -> {
          if (ex.getRequestURI().getPath().equals("/health")) {
            replyHealth(ex, health.live());
          } else {
            reply(
                ex,
                404,
                "text/plain; charset=utf-8",
                "use " + LIVE_PATH + " or " + READY_PATH + "\n");
          }
        });
    server.start();
    return new MetricsServer(server);
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void replyHealth(HttpExchange ex, boolean up) throws IOException {
    reply(ex, up ? 200 : 503, "text/plain; charset=utf-8", up ? "UP\n" : "DOWN\n");
  }

  private static void reply(HttpExchange ex, int status, String type, String body)
      throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET")) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
