package dev.strata.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few Confluent registry endpoints {@link SchemaRegistryClient} uses (register, look up, schema
 * by id), served from memory on 127.0.0.1 and an ephemeral port: for tests, benchmarks and demos
 * that need the real serde path without a registry process. No compatibility rules, no versions
 * beyond 1, no persistence; identical schema text gets the same id across subjects, as in
 * Confluent's registry. Not for production.
 */
public final class InMemorySchemaRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Integer> ids = new LinkedHashMap<>();
  private final Map<Integer, String> schemas = new LinkedHashMap<>();

  private InMemorySchemaRegistry(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on 127.0.0.1 and an ephemeral port.
   *
   * @throws UncheckedIOException when no loopback port can be bound
   */
  public static InMemorySchemaRegistry start() {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot bind an in-memory schema registry on 127.0.0.1", e);
    }
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry(server);
    server.createContext("/", registry::handle);
    server.start();
    return registry;
  }

  /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** A client of this registry with default settings. */
  public SchemaRegistryClient client() {
    return SchemaRegistryClient.builder().addUrl(url()).build();
  }

  private synchronized void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    try {
      if (ex.getRequestMethod().equals("POST") && path.startsWith("/subjects/")) {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        String schema = body.get("schema").textValue();
        Integer id = ids.get(schema);
        if (path.endsWith("/versions")) {
          if (id == null) {
            id = ids.size() + 1;
            ids.put(schema, id);
            schemas.put(id, schema);
          }
          reply(ex, 200, Map.of("id", id));
        } else if (id == null) {
          reply(ex, 404, Map.of("error_code", 40403, "message", "Schema not found"));
        } else {
          reply(ex, 200, Map.of("id", id, "version", 1, "schema", schema));
        }
      } else if (ex.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
        int id = Integer.parseInt(path.substring("/schemas/ids/".length()));
        String schema = schemas.get(id);
        if (schema == null) {
          reply(ex, 404, Map.of("error_code", 40403, "message", "Schema " + id + " not found"));
        } else {
          reply(ex, 200, Map.of("schema", schema));
        }
      } else {
        reply(ex, 404, Map.of("error_code", 404, "message", "HTTP 404 Not Found"));
      }
    } finally {
      ex.close();
    }
  }

  private static void reply(HttpExchange ex, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", SchemaRegistryClient.CONTENT_TYPE);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving; the schemas are gone. */
  @Override
  public void close() {
    server.stop(0);
  }
}
