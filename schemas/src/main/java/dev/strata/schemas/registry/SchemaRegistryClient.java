package dev.strata.schemas.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;

/**
 * Client for the Confluent Schema Registry REST API (also served by Apicurio under {@code
 * /apis/ccompat/v7}), for Avro schemas.
 *
 * <p>Schemas by id and ids by (subject, schema) are cached, so a producer or consumer asks the
 * registry once per schema; {@link #latest(String)} is never cached. Thread-safe.
 *
 * <pre>{@code
 * SchemaRegistryClient client = SchemaRegistryClient.builder()
 *     .addUrl("http://127.0.0.1:8080/apis/ccompat/v7")
 *     .optBasicAuth("strata", "secret")
 *     .build();
 * int id = client.register("texts-value", TextRecord.getClassSchema());
 * }</pre>
 *
 * <p>With several URLs, a request that cannot connect to one is sent to the next; an HTTP error
 * answer is final.
 */
public final class SchemaRegistryClient {
  /** The media type Confluent's registry expects for request bodies. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
          + " application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUrls;
  private final String authorization;
  private final Duration requestTimeout;
  private final HttpClient http;
  private final LruCache<Integer, Schema> schemasById;
  private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;

  private record SubjectSchema(String subject, Schema schema) {}

  private SchemaRegistryClient(Builder b, List<URI> baseUrls, String authorization) {
    this.baseUrls = List.copyOf(baseUrls);
    this.authorization = authorization;
    this.requestTimeout = b.requestTimeout;
    HttpClient.Builder http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(b.connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER);
    SSLContext ssl = b.sslContext != null ? b.sslContext : null;
    if (ssl == null && b.tls != null) {
      ssl = b.tls.createSslContext();
    }
    if (ssl != null) {
      http.sslContext(ssl);
    }
    this.http = http.build();
    this.schemasById = new LruCache<>(b.cacheCapacity);
    this.idsBySubjectSchema = new LruCache<>(b.cacheCapacity);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Base URLs, in the order they are tried, without credentials. */
  public List<URI> baseUrls() {
    return baseUrls;
  }

  /** Whether requests carry an {@code Authorization: Basic} header. */
  public boolean usesBasicAuth() {
    return authorization != null;
  }

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}) and
   * returns its global id. Registering a schema the subject already has returns the existing id.
   *
   * @throws SchemaRegistryException e.g. with error code 409 when the subject's compatibility rule
   *     rejects the schema
   */
  public int register(String subject, Schema schema) {
    requireNonNull(subject, "subject");
    requireNonNull(schema, "schema");
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    String operation = "registering a schema under subject '" + subject + "'";
    RegistryReply reply =
        send("POST", "/subjects/" + encode(subject) + "/versions", body, operation);
    int id = reply.requiredInt("id", operation);
    idsBySubjectSchema.put(key, id);
    if (schemasById.get(id) == null) {
      schemasById.put(id, schema);
    }
    return id;
  }

  /**
   * Finds the version of {@code subject} that equals {@code schema} ({@code POST
   * /subjects/{subject}}) without registering anything.
   *
   * @throws SchemaRegistryException with error code {@link
   *     SchemaRegistryException#SUBJECT_NOT_FOUND} or {@link
   *     SchemaRegistryException#SCHEMA_NOT_FOUND} when it is not registered
   */
  public RegisteredSchema lookup(String subject, Schema schema) {
    requireNonNull(subject, "subject");
    requireNonNull(schema, "schema");
    ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
    String operation = "looking up a schema in subject '" + subject + "'";
    RegistryReply reply = send("POST", "/subjects/" + encode(subject), body, operation);
    int id = reply.requiredInt("id", operation);
    int version = reply.requiredInt("version", operation);
    idsBySubjectSchema.put(new SubjectSchema(subject, schema), id);
    if (schemasById.get(id) == null) {
      schemasById.put(id, schema);
    }
    return new RegisteredSchema(subject, id, version, schema);
  }

  /**
   * The id of {@code schema} in {@code subject}: from the cache, else by {@link #lookup}. Never
   * registers.
   */
  public int idOf(String subject, Schema schema) {
    Integer cached = idsBySubjectSchema.get(new SubjectSchema(subject, schema));
    return cached != null ? cached : lookup(subject, schema).id();
  }

  /**
   * The latest version of {@code subject} ({@code GET /subjects/{subject}/versions/latest}); asks
   * the registry on every call.
   */
  public RegisteredSchema latest(String subject) {
    requireNonNull(subject, "subject");
    String operation = "fetching the latest version of subject '" + subject + "'";
    RegistryReply reply =
        send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, operation);
    int id = reply.requiredInt("id", operation);
    int version = reply.requiredInt("version", operation);
    Schema schema = reply.schema(operation);
    if (schemasById.get(id) == null) {
      schemasById.put(id, schema);
    }
    return new RegisteredSchema(subject, id, version, schema);
  }

  /**
   * The schema with global id {@code id} ({@code GET /schemas/ids/{id}}), cached after the first
   * call.
   *
   * @throws SchemaRegistryException with error code {@link
   *     SchemaRegistryException#SCHEMA_NOT_FOUND} for an unknown id
   */
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String operation = "fetching schema id " + id;
    RegistryReply reply = send("GET", "/schemas/ids/" + id, null, operation);
    Schema schema = reply.schema(operation);
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public String toString() {
    return "SchemaRegistryClient" + baseUrls;
  }

  // ---------------------------------------------------------------------------------------------

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private RegistryReply send(String method, String path, JsonNode body, String operation) {
    IOException lastFailure = null;
    URI lastUri = null;
    for (URI base : baseUrls) {
      URI uri = URI.create(base + path);
      HttpRequest.Builder request =
          HttpRequest.newBuilder(uri).timeout(requestTimeout).header("Accept", ACCEPT);
      if (authorization != null) {
        request.header("Authorization", authorization);
      }
      if (body != null) {
        request
            .header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (IOException e) {
        lastFailure = e;
        lastUri = uri;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            "Interrupted while " + operation + " at " + uri, uri.toString(), -1, -1, e);
      }
      return RegistryReply.of(method, uri, response, operation);
    }
    String hint =
        lastFailure instanceof HttpTimeoutException
            ? "The registry did not answer in time: check that it is healthy, or raise "
                + SchemaRegistryClientConfig.HTTP_CONNECT_TIMEOUT_MS
                + " / "
                + SchemaRegistryClientConfig.HTTP_READ_TIMEOUT_MS
                + "."
            : "Check "
                + SchemaRegistryClientConfig.URL
                + " (scheme, host, port and path prefix such as /apis/ccompat/v7) and that the"
                + " registry is running"
                + (baseUrls.get(0).getScheme().equals("https")
                    ? "; for TLS errors check the schema.registry.ssl.* settings."
                    : ".");
    throw new SchemaRegistryException(
        "Could not reach the schema registry while "
            + operation
            + ": "
            + method
            + " "
            + (baseUrls.size() == 1 ? lastUri : lastUri + " (tried all of " + baseUrls + ")")
            + " failed with "
            + lastFailure
            + ". "
            + hint,
        String.valueOf(lastUri),
        -1,
        -1,
        lastFailure);
  }

  /**
   * Builder. Required: at least one URL ({@link #addUrl}). {@link #build()} validates the URLs,
   * timeouts and cache capacity and loads the TLS stores.
   */
  public static final class Builder {
    private final List<String> urls = new ArrayList<>();
    private String basicAuthUser;
    private String basicAuthPassword;
    private TlsSettings tls;
    private SSLContext sslContext;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int cacheCapacity = 1000;

    private Builder() {}

    /**
     * Adds a registry base URL, including any path prefix (e.g. {@code
     * http://127.0.0.1:8080/apis/ccompat/v7}). Credentials in the URL ({@code
     * http://user:password@host}) are used for basic auth unless {@link #optBasicAuth} is set.
     */
    public Builder addUrl(String url) {
      urls.add(requireNonNull(url, "url"));
      return this;
    }

    /** Basic authentication, sent as {@code Authorization: Basic base64(user:password)}. */
    public Builder optBasicAuth(String user, String password) {
      this.basicAuthUser = requireNonNull(user, "user");
      this.basicAuthPassword = requireNonNull(password, "password");
      return this;
    }

    /** Trust and key stores for {@code https} URLs. */
    public Builder optTls(TlsSettings tls) {
      this.tls = requireNonNull(tls, "tls");
      return this;
    }

    /** A ready SSL context for {@code https} URLs; takes precedence over {@link #optTls}. */
    public Builder optSslContext(SSLContext sslContext) {
      this.sslContext = requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** Time to establish a connection; default 10 s. */
    public Builder optConnectTimeout(Duration timeout) {
      this.connectTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Time to wait for a response once a request is sent; default 30 s. */
    public Builder optRequestTimeout(Duration timeout) {
      this.requestTimeout = requireNonNull(timeout, "timeout");
      return this;
    }

    /** Entries kept in each cache (schemas by id, ids by subject and schema); default 1000. */
    public Builder optCacheCapacity(int capacity) {
      this.cacheCapacity = capacity;
      return this;
    }

    public SchemaRegistryClient build() {
      if (urls.isEmpty()) {
        throw new IllegalArgumentException(
            "No schema registry URL: set "
                + SchemaRegistryClientConfig.URL
                + " (e.g. http://127.0.0.1:8080/apis/ccompat/v7)");
      }
      if (connectTimeout.isNegative() || connectTimeout.isZero()) {
        throw new IllegalArgumentException(
            "connect timeout must be positive, got " + connectTimeout);
      }
      if (requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException(
            "request timeout must be positive, got " + requestTimeout);
      }
      if (cacheCapacity < 1) {
        throw new IllegalArgumentException(
            "cache capacity must be at least 1, got " + cacheCapacity);
      }
      List<URI> bases = new ArrayList<>();
      String urlUser = null;
      String urlPassword = null;
      for (String url : urls) {
        URI uri = RegistryUrls.parse(url);
        if (uri.getRawUserInfo() != null && urlUser == null) {
          String info = URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8);
          int colon = info.indexOf(':');
          urlUser = colon < 0 ? info : info.substring(0, colon);
          urlPassword = colon < 0 ? "" : info.substring(colon + 1);
        }
        bases.add(RegistryUrls.withoutUserInfo(uri));
      }
      String authorization = null;
      String user = basicAuthUser != null ? basicAuthUser : urlUser;
      String password = basicAuthUser != null ? basicAuthPassword : urlPassword;
      if (user != null) {
        String token = user + ":" + password;
        authorization =
            "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
      }
      return new SchemaRegistryClient(this, bases, authorization);
    }
  }
}
