package dev.strata.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * An in-memory Confluent-compatible registry on 127.0.0.1 and an ephemeral port, serving the
 * endpoints the client uses under a path prefix like Apicurio's {@code /apis/ccompat/v7}. It
 * enforces BACKWARD compatibility against the latest version on register, optionally checks a basic
 * auth header, answers errors with Confluent's error JSON, and counts requests.
 */
public final class FakeSchemaRegistry implements AutoCloseable {
  public static final String PREFIX = "/apis/ccompat/v7";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
  private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
  private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
  private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

  private final HttpServer server;
  private final String expectedAuthorization;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<String> requestLines = Collections.synchronizedList(new ArrayList<>());
  private volatile String lastAuthorization;

  private final Map<String, Integer> idsByCanonical = new HashMap<>();
  private final Map<Integer, String> schemasById = new HashMap<>();
  private final Map<String, List<Integer>> subjects = new LinkedHashMap<>();
  private int nextId = 1;

  private FakeSchemaRegistry(HttpServer server, String expectedAuthorization) {
    this.server = server;
    this.expectedAuthorization = expectedAuthorization;
    server.createContext(PREFIX, this::handle);
    server.start();
  }

  /** Plain HTTP, no authentication. */
  public static FakeSchemaRegistry start() throws IOException {
    return start(null, null);
  }

  /**
   * @param expectedAuthorization the exact {@code Authorization} header required, or null
   * @param tls the server's SSL context for HTTPS, or null for HTTP
   */
  public static FakeSchemaRegistry start(String expectedAuthorization, SSLContext tls)
      throws IOException {
    return start(expectedAuthorization, tls, false);
  }

  /** As {@link #start(String, SSLContext)}; {@code needClientAuth} demands a client certificate. */
  public static FakeSchemaRegistry start(
      String expectedAuthorization, SSLContext tls, boolean needClientAuth) throws IOException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    HttpServer server;
    if (tls != null) {
      HttpsServer https = HttpsServer.create(address, 0);
      https.setHttpsConfigurator(
          new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters params) {
              SSLParameters ssl = tls.getDefaultSSLParameters();
              ssl.setNeedClientAuth(needClientAuth);
              params.setSSLParameters(ssl);
            }
          });
      server = https;
    } else {
      server = HttpServer.create(address, 0);
    }
    return new FakeSchemaRegistry(server, expectedAuthorization);
  }

  /** Base URL including the ccompat prefix. */
  public String url() {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return scheme + "://127.0.0.1:" + server.getAddress().getPort() + PREFIX;
  }

  public int requestCount() {
    return requests.get();
  }

  /** "METHOD path" of every request, in order. */
  public List<String> requestLines() {
    synchronized (requestLines) {
      return List.copyOf(requestLines);
    }
  }

  public String lastAuthorization() {
    return lastAuthorization;
  }

  /** Registers directly, bypassing HTTP (no request is counted). */
  public synchronized int registerDirectly(String subject, Schema schema) {
    return register(subject, schema);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath().substring(PREFIX.length());
      String method = exchange.getRequestMethod();
      requestLines.add(method + " " + path);
      lastAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (expectedAuthorization != null && !expectedAuthorization.equals(lastAuthorization)) {
        error(exchange, 401, 401, "Unauthorized");
        return;
      }
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Matcher m;
      synchronized (this) {
        if (method.equals("POST") && (m = REGISTER.matcher(path)).matches()) {
          Schema schema = parseBody(exchange, body);
          if (schema == null) {
            return;
          }
          String subject = decode(m.group(1));
          List<Integer> versions = subjects.get(subject);
          Integer existing = idsByCanonical.get(schema.toString());
          if (versions != null && (existing == null || !versions.contains(existing))) {
            Schema latest =
                new Schema.Parser().parse(schemasById.get(versions.get(versions.size() - 1)));
            if (SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getType()
                != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
              error(
                  exchange,
                  409,
                  409,
                  "Schema being registered is incompatible with an earlier schema for subject \""
                      + subject
                      + "\"");
              return;
            }
          }
          ObjectNode reply = JSON.createObjectNode().put("id", register(subject, schema));
          send(exchange, 200, reply);
        } else if (method.equals("GET") && (m = LATEST.matcher(path)).matches()) {
          String subject = decode(m.group(1));
          List<Integer> versions = subjects.get(subject);
          if (versions == null) {
            error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
            return;
          }
          int id = versions.get(versions.size() - 1);
          send(exchange, 200, version(subject, id, versions.size()));
        } else if (method.equals("POST") && (m = LOOKUP.matcher(path)).matches()) {
          Schema schema = parseBody(exchange, body);
          if (schema == null) {
            return;
          }
          String subject = decode(m.group(1));
          List<Integer> versions = subjects.get(subject);
          if (versions == null) {
            error(exchange, 404, 40401, "Subject '" + subject + "' not found.");
            return;
          }
          Integer id = idsByCanonical.get(schema.toString());
          if (id == null || !versions.contains(id)) {
            error(exchange, 404, 40403, "Schema not found");
            return;
          }
          send(exchange, 200, version(subject, id, versions.indexOf(id) + 1));
        } else if (method.equals("GET") && (m = BY_ID.matcher(path)).matches()) {
          String text = schemasById.get(Integer.parseInt(m.group(1)));
          if (text == null) {
            error(exchange, 404, 40403, "Schema " + m.group(1) + " not found");
            return;
          }
          send(exchange, 200, JSON.createObjectNode().put("schema", text));
        } else {
          error(exchange, 404, 404, "HTTP 404 Not Found");
        }
      }
    }
  }

  private int register(String subject, Schema schema) {
    String canonical = schema.toString();
    Integer id = idsByCanonical.get(canonical);
    if (id == null) {
      id = nextId++;
      idsByCanonical.put(canonical, id);
      schemasById.put(id, canonical);
    }
    List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
    if (!versions.contains(id)) {
      versions.add(id);
    }
    return id;
  }

  private ObjectNode version(String subject, int id, int version) {
    return JSON.createObjectNode()
        .put("subject", subject)
        .put("id", id)
        .put("version", version)
        .put("schema", schemasById.get(id));
  }

  private static Schema parseBody(HttpExchange exchange, byte[] body) throws IOException {
    try {
      JsonNode json = JSON.readTree(body);
      return new Schema.Parser().parse(json.get("schema").textValue());
    } catch (RuntimeException | IOException e) {
      error(exchange, 422, 42201, "Invalid schema: " + e.getMessage());
      return null;
    }
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  private static void error(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    send(exchange, status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }

  private static void send(HttpExchange exchange, int status, JsonNode json) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(json);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
