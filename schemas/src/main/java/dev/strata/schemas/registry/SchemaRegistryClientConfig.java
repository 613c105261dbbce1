package dev.strata.schemas.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Registry client settings under Confluent's key names, so that the same producer, consumer or
 * Streams properties configure this client and Confluent's. Keys Confluent's client has and this
 * one does not (retries, bearer auth, {@code SASL_INHERIT}) are not defined; unknown keys are
 * ignored, as Kafka passes every client property to serializers.
 */
public final class SchemaRegistryClientConfig extends AbstractConfig {
  public static final String URL = "schema.registry.url";
  private static final String URL_DOC =
      "Comma-separated base URLs of the registry's Confluent-compatible REST API, including any"
          + " path prefix (Apicurio: http://HOST:PORT/apis/ccompat/v7). Tried in order when one"
          + " cannot be reached.";

  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  private static final String BASIC_AUTH_CREDENTIALS_SOURCE_DOC =
      "Where basic-auth credentials come from: USER_INFO (basic.auth.user.info) or URL"
          + " (http://user:password@host in schema.registry.url).";

  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  private static final String BASIC_AUTH_USER_INFO_DOC =
      "Basic-auth credentials as user:password; unset means no authentication.";

  public static final String SSL_PROTOCOL = "schema.registry.ssl.protocol";
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
  public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
  public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
  public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
  public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
  public static final String SSL_ENDPOINT_IDENTIFICATION_ALGORITHM =
      "schema.registry.ssl.endpoint.identification.algorithm";

  public static final String HTTP_CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String HTTP_READ_TIMEOUT_MS = "http.read.timeout.ms";
  public static final String MAX_SCHEMAS_PER_SUBJECT = "max.schemas.per.subject";

  /** Credential sources this client supports. */
  public static final String USER_INFO = "USER_INFO";

  public static final String URL_SOURCE = "URL";

  private static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, nonEmptyList(), Importance.HIGH, URL_DOC)
          .define(
              BASIC_AUTH_CREDENTIALS_SOURCE,
              Type.STRING,
              USER_INFO,
              ConfigDef.ValidString.in(USER_INFO, URL_SOURCE),
              Importance.MEDIUM,
              BASIC_AUTH_CREDENTIALS_SOURCE_DOC)
          .define(
              BASIC_AUTH_USER_INFO,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              BASIC_AUTH_USER_INFO_DOC)
          .define(
              SSL_PROTOCOL,
              Type.STRING,
              "TLSv1.3",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "TLS protocol for https URLs (TLSv1.3, TLSv1.2).")
          .define(
              SSL_TRUSTSTORE_LOCATION,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "Trust store with the registry's CA; unset uses the JDK's trusted CAs.")
          .define(
              SSL_TRUSTSTORE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "Password of the trust store.")
          .define(
              SSL_TRUSTSTORE_TYPE,
              Type.STRING,
              "JKS",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Trust store type: JKS (also reads PKCS12 files) or PKCS12.")
          .define(
              SSL_KEYSTORE_LOCATION,
              Type.STRING,
              null,
              Importance.MEDIUM,
              "Key store with the client certificate, for registries that require mutual TLS.")
          .define(
              SSL_KEYSTORE_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.MEDIUM,
              "Password of the key store.")
          .define(
              SSL_KEYSTORE_TYPE,
              Type.STRING,
              "JKS",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Key store type: JKS or PKCS12.")
          .define(
              SSL_KEY_PASSWORD,
              Type.PASSWORD,
              null,
              Importance.LOW,
              "Password of the private key, when it differs from the key store's.")
          .define(
              SSL_ENDPOINT_IDENTIFICATION_ALGORITHM,
              Type.STRING,
              "https",
              ConfigDef.ValidString.in("https", "HTTPS"),
              Importance.LOW,
              "Always https: the JDK HTTP client verifies the registry's host name and cannot turn"
                  + " that off per client. Give the registry a certificate that names its host.")
          .define(
              HTTP_CONNECT_TIMEOUT_MS,
              Type.INT,
              10_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Milliseconds to wait for a connection to the registry.")
          .define(
              HTTP_READ_TIMEOUT_MS,
              Type.INT,
              30_000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Milliseconds to wait for the registry's answer to one request.")
          .define(
              MAX_SCHEMAS_PER_SUBJECT,
              Type.INT,
              1000,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Capacity of each client cache (schemas by id, ids by subject and schema).");

  /**
   * Parses {@code props}.
   *
   * @throws ConfigException naming the key and the bad value
   */
  public SchemaRegistryClientConfig(Map<String, ?> props) {
    super(CONFIG_DEF, props, false);
  }

  /** A copy of the definitions, e.g. to render documentation or to extend. */
  public static ConfigDef configDef() {
    return new ConfigDef(CONFIG_DEF);
  }

  /**
   * Builds a client from these settings.
   *
   * @throws ConfigException naming the key when a value is unusable (bad URL, missing password,
   *     unreadable key store)
   */
  public SchemaRegistryClient createClient() {
    SchemaRegistryClient.Builder builder = SchemaRegistryClient.builder();
    for (String url : getList(URL)) {
      builder.addUrl(url);
    }
    Password userInfo = getPassword(BASIC_AUTH_USER_INFO);
    if (USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE)) && userInfo != null) {
      String info = userInfo.value();
      int colon = info.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(
            BASIC_AUTH_USER_INFO,
            userInfo,
            "expected user:password (the password is everything after the first ':')");
      }
      builder.optBasicAuth(info.substring(0, colon), info.substring(colon + 1));
    } else if (URL_SOURCE.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))
        && getList(URL).stream().noneMatch(u -> u.matches("(?i)https?://[^/@]+@.*"))) {
      throw new ConfigException(
          BASIC_AUTH_CREDENTIALS_SOURCE,
          URL_SOURCE,
          "no URL in " + URL + " carries credentials (http://user:password@host:port)");
    }
    TlsSettings tls = tlsSettings();
    if (tls != null) {
      builder.optTls(tls);
    }
    builder
        .optConnectTimeout(Duration.ofMillis(getInt(HTTP_CONNECT_TIMEOUT_MS)))
        .optRequestTimeout(Duration.ofMillis(getInt(HTTP_READ_TIMEOUT_MS)))
        .optCacheCapacity(getInt(MAX_SCHEMAS_PER_SUBJECT));
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** TLS settings when any trust or key store is configured, else {@code null} (JDK defaults). */
  TlsSettings tlsSettings() {
    String truststore = getString(SSL_TRUSTSTORE_LOCATION);
    String keystore = getString(SSL_KEYSTORE_LOCATION);
    String protocol = getString(SSL_PROTOCOL);
    if (isBlank(truststore) && isBlank(keystore) && protocol.equals("TLSv1.3")) {
      return null;
    }
    TlsSettings.Builder tls = TlsSettings.builder().optProtocol(protocol);
    if (!isBlank(truststore)) {
      tls.optTruststore(
          Path.of(truststore),
          value(getPassword(SSL_TRUSTSTORE_PASSWORD)),
          getString(SSL_TRUSTSTORE_TYPE));
    }
    if (!isBlank(keystore)) {
      tls.optKeystore(
          Path.of(keystore),
          value(getPassword(SSL_KEYSTORE_PASSWORD)),
          getString(SSL_KEYSTORE_TYPE),
          value(getPassword(SSL_KEY_PASSWORD)));
    }
    try {
      return tls.build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static String value(Password password) {
    return password == null ? null : password.value();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static ConfigDef.Validator nonEmptyList() {
    return new ConfigDef.Validator() {
      @Override
      public void ensureValid(String name, Object value) {
        if (value == null || ((List<?>) value).isEmpty()) {
          throw new ConfigException(
              name, value, "give at least one URL, e.g. http://127.0.0.1:8080/apis/ccompat/v7");
        }
      }

      @Override
      public String toString() {
        return "non-empty list of http(s) URLs";
      }
    };
  }
}
