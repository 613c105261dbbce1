package dev.strata.app.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.strata.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few Confluent registry endpoints the serde uses (register, lookup, schema by id), in memory
 * on 127.0.0.1 and an ephemeral port. No compatibility rules: tests here are about the topology.
 */
public final class InMemoryRegistry implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Integer> ids = new LinkedHashMap<>();
  private final Map<Integer, String> schemas = new LinkedHashMap<>();

  public InMemoryRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

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

  @Override
  public void close() {
    server.stop(0);
  }
}
