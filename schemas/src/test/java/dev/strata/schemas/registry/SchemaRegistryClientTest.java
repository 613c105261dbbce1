package dev.strata.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.schemas.avro.TextRecord;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientTest {
  private static final Schema TEXT = TextRecord.getClassSchema();

  private FakeSchemaRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = FakeSchemaRegistry.start();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private SchemaRegistryClient client() {
    return SchemaRegistryClient.builder().addUrl(registry.url()).build();
  }

  @Test
  void registerReturnsTheIdAndAsksTheRegistryOnce() {
    SchemaRegistryClient client = client();

    int id = client.register("texts-value", TEXT);
    int again = client.register("texts-value", TEXT);

    assertThat(again).isEqualTo(id);
    assertThat(registry.requestLines()).containsExactly("POST /subjects/texts-value/versions");
  }

  @Test
  void identicalSchemaGetsTheSameIdInAnotherSubject() {
    SchemaRegistryClient client = client();
    assertThat(client.register("a-value", TEXT)).isEqualTo(client.register("b-value", TEXT));
  }

  @Test
  void schemaByIdIsFetchedOnceThenCached() {
    int id = registry.registerDirectly("texts-value", TEXT);
    SchemaRegistryClient client = client();

    Schema first = client.schemaById(id);
    Schema second = client.schemaById(id);

    assertThat(first).isEqualTo(TEXT);
    assertThat(second).isSameAs(first);
    assertThat(registry.requestLines()).containsExactly("GET /schemas/ids/" + id);
  }

  @Test
  void lookupFindsTheRegisteredVersionAndItsIdIsThenCached() {
    int id = registry.registerDirectly("texts-value", TEXT);
    SchemaRegistryClient client = client();

    RegisteredSchema found = client.lookup("texts-value", TEXT);

    assertThat(found).isEqualTo(new RegisteredSchema("texts-value", id, 1, TEXT));
    assertThat(client.idOf("texts-value", TEXT)).isEqualTo(id);
    assertThat(client.register("texts-value", TEXT)).isEqualTo(id);
    assertThat(registry.requestCount()).isEqualTo(1);
  }

  @Test
  void lookupOfAnUnknownSubjectOrSchemaReportsTheRegistryErrorCode() {
    SchemaRegistryClient client = client();
    assertThatThrownBy(() -> client.lookup("nothing-value", TEXT))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("subject 'nothing-value'")
        .hasMessageContaining(registry.url() + "/subjects/nothing-value")
        .hasMessageContaining("HTTP 404, error_code 40401")
        .satisfies(
            e -> {
              SchemaRegistryException r = (SchemaRegistryException) e;
              assertThat(r.httpStatus()).hasValue(404);
              assertThat(r.errorCode()).hasValue(SchemaRegistryException.SUBJECT_NOT_FOUND);
            });

    registry.registerDirectly("texts-value", TEXT);
    Schema other = SchemaBuilder.record("Other").fields().requiredInt("x").endRecord();
    assertThatThrownBy(() -> client.lookup("texts-value", other))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("error_code 40403: Schema not found");
  }

  @Test
  void latestReturnsTheNewestVersionEveryTime() {
    SchemaRegistryClient client = client();
    int v1 = client.register("texts-value", TEXT);
    Schema v2 = withOptionalField(TEXT, "source");
    int v2Id = client.register("texts-value", v2);

    RegisteredSchema latest = client.latest("texts-value");

    assertThat(v2Id).isNotEqualTo(v1);
    assertThat(latest.version()).isEqualTo(2);
    assertThat(latest.id()).isEqualTo(v2Id);
    assertThat(latest.schema()).isEqualTo(v2);
    client.latest("texts-value");
    assertThat(registry.requestLines()).filteredOn(l -> l.endsWith("/versions/latest")).hasSize(2);
  }

  @Test
  void unknownIdErrorNamesIdUrlStatusAndRegistryMessage() {
    SchemaRegistryClient client = client();
    assertThatThrownBy(() -> client.schemaById(4242))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("schema id 4242")
        .hasMessageContaining(registry.url() + "/schemas/ids/4242")
        .hasMessageContaining("HTTP 404, error_code 40403: Schema 4242 not found")
        .hasMessageContaining("in-memory storage");
  }

  @Test
  void incompatibleRegistrationIsReportedWithWhatToDo() {
    SchemaRegistryClient client = client();
    client.register("texts-value", TEXT);
    Schema breaking =
        SchemaBuilder.record(TEXT.getName())
            .namespace(TEXT.getNamespace())
            .fields()
            .requiredString("id")
            .requiredString("tenant")
            .endRecord();

    assertThatThrownBy(() -> client.register("texts-value", breaking))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("registering a schema under subject 'texts-value'")
        .hasMessageContaining("HTTP 409, error_code 409")
        .hasMessageContaining("compatibility");
  }

  @Test
  void basicAuthIsSentAsAuthorizationHeader() throws Exception {
    String header =
        "Basic "
            + Base64.getEncoder().encodeToString("strata:s3cr:et".getBytes(StandardCharsets.UTF_8));
    try (FakeSchemaRegistry secured = FakeSchemaRegistry.start(header, null)) {
      SchemaRegistryClient client =
          new SchemaRegistryClientConfig(
                  Map.of(
                      SchemaRegistryClientConfig.URL, secured.url(),
                      SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                      SchemaRegistryClientConfig.BASIC_AUTH_USER_INFO, "strata:s3cr:et"))
              .createClient();

      client.register("texts-value", TEXT);

      assertThat(client.usesBasicAuth()).isTrue();
      assertThat(secured.lastAuthorization()).isEqualTo(header);
    }
  }

  @Test
  void missingOrWrongCredentialsPointAtTheAuthSettings() throws Exception {
    try (FakeSchemaRegistry secured = FakeSchemaRegistry.start("Basic c3RyYXRhOnM=", null)) {
      SchemaRegistryClient client =
          SchemaRegistryClient.builder()
              .addUrl(secured.url())
              .optBasicAuth("strata", "wrong")
              .build();
      assertThatThrownBy(() -> client.register("texts-value", TEXT))
          .hasMessageContaining("HTTP 401")
          .hasMessageContaining("basic.auth.user.info")
          .hasMessageNotContaining("wrong");
    }
  }

  @Test
  void credentialsCanComeFromTheUrlAndAreNeverPrinted() throws Exception {
    String header =
        "Basic " + Base64.getEncoder().encodeToString("u:p@ss".getBytes(StandardCharsets.UTF_8));
    try (FakeSchemaRegistry secured = FakeSchemaRegistry.start(header, null)) {
      String url = secured.url().replace("http://", "http://u:p%40ss@");
      SchemaRegistryClient client =
          new SchemaRegistryClientConfig(
                  Map.of(
                      SchemaRegistryClientConfig.URL,
                      url,
                      SchemaRegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE,
                      "URL"))
              .createClient();

      client.register("texts-value", TEXT);
      assertThat(secured.lastAuthorization()).isEqualTo(header);
      assertThat(client.baseUrls().get(0).toString()).isEqualTo(secured.url());
      assertThatThrownBy(() -> client.schemaById(99)).hasMessageNotContaining("p%40ss");
    }
  }

  @Test
  void unreachableRegistryNamesTheUrlAndTheSetting() throws Exception {
    String dead = "http://127.0.0.1:" + freePort() + "/apis/ccompat/v7";
    SchemaRegistryClient client = SchemaRegistryClient.builder().addUrl(dead).build();

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("Could not reach the schema registry while fetching schema id 1")
        .hasMessageContaining(dead + "/schemas/ids/1")
        .hasMessageContaining("schema.registry.url")
        .satisfies(e -> assertThat(((SchemaRegistryException) e).httpStatus()).isEmpty());
  }

  @Test
  void aSecondUrlIsTriedWhenTheFirstCannotBeReached() throws Exception {
    String dead = "http://127.0.0.1:" + freePort();
    SchemaRegistryClient client =
        new SchemaRegistryClientConfig(
                Map.of(SchemaRegistryClientConfig.URL, dead + "," + registry.url() + "/"))
            .createClient();

    assertThat(client.register("texts-value", TEXT)).isPositive();
  }

  @Test
  void wrongPathPrefixExplainsWhereTheApiLives() {
    String noPrefix = registry.url().replace(FakeSchemaRegistry.PREFIX, "/apis/registry/v3");
    SchemaRegistryClient client = SchemaRegistryClient.builder().addUrl(noPrefix).build();
    assertThatThrownBy(() -> client.schemaById(1))
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("/apis/ccompat/v7");
  }

  @Test
  void aMalformedUrlWithCredentialsIsReportedWithoutThem() {
    assertThatThrownBy(
            () -> SchemaRegistryClient.builder().addUrl("http://u:s3cret@host:80/a b").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("Illegal character")
        .hasMessageContaining("http://host:80/a b")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void configurationErrorsNameTheKey() {
    assertThatThrownBy(() -> new SchemaRegistryClientConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () ->
                new SchemaRegistryClientConfig(Map.of("schema.registry.url", "ftp://host/x"))
                    .createClient())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("http://HOST:PORT");
    assertThatThrownBy(
            () ->
                new SchemaRegistryClientConfig(
                        Map.of(
                            "schema.registry.url",
                            registry.url(),
                            "basic.auth.user.info",
                            "no-colon-secret"))
                    .createClient())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.user.info")
        .hasMessageNotContaining("no-colon-secret");
    assertThatThrownBy(
            () ->
                new SchemaRegistryClientConfig(
                    Map.of(
                        "schema.registry.url",
                        registry.url(),
                        "basic.auth.credentials.source",
                        "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("basic.auth.credentials.source");
    assertThatThrownBy(
            () ->
                new SchemaRegistryClientConfig(
                    Map.of(
                        "schema.registry.url",
                        registry.url(),
                        "schema.registry.ssl.endpoint.identification.algorithm",
                        "")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.endpoint.identification.algorithm");
    assertThatThrownBy(
            () ->
                new SchemaRegistryClientConfig(
                    Map.of("schema.registry.url", registry.url(), "http.read.timeout.ms", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.read.timeout.ms");
  }

  @Test
  void builderValidatesInBuild() {
    assertThatThrownBy(() -> SchemaRegistryClient.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.url");
    assertThatThrownBy(
            () -> SchemaRegistryClient.builder().addUrl(registry.url()).optCacheCapacity(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cache capacity");
  }

  static Schema withOptionalField(Schema base, String name) {
    String json = base.toString();
    String field = "{\"name\":\"" + name + "\",\"type\":[\"null\",\"string\"],\"default\":null},";
    return new Schema.Parser().parse(json.replaceFirst("\"fields\":\\[", "\"fields\":[" + field));
  }

  static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
