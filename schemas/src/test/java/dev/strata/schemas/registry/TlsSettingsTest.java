package dev.strata.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.schemas.avro.TextRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes against the fake registry over HTTPS on 127.0.0.1, with self-signed
 * certificates that the JDK's {@code keytool} makes for each run (skipped if there is no keytool).
 */
class TlsSettingsTest {
  private static final String PASSWORD = "changeit";

  @TempDir static Path dir;

  static Path serverKeystore;
  static Path serverTruststore;
  static Path clientKeystore;
  static Path clientTruststore;

  @BeforeAll
  static void makeCertificates() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    assumeTrue(Files.isExecutable(keytool), "no keytool in this JDK: " + keytool);
    serverKeystore = dir.resolve("server.p12");
    clientKeystore = dir.resolve("client.p12");
    serverTruststore = dir.resolve("server-trusts.p12");
    clientTruststore = dir.resolve("client-trusts.p12");
    keypair(keytool, serverKeystore, "registry", "CN=127.0.0.1", "san=ip:127.0.0.1");
    keypair(keytool, clientKeystore, "strata", "CN=strata-client", null);
    trust(keytool, serverKeystore, "registry", clientTruststore);
    trust(keytool, clientKeystore, "strata", serverTruststore);
  }

  private static void keypair(Path keytool, Path store, String alias, String dname, String ext)
      throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                dname,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
    if (ext != null) {
      cmd.addAll(List.of("-ext", ext));
    }
    run(cmd);
  }

  private static void trust(Path keytool, Path keystore, String alias, Path truststore)
      throws Exception {
    Path pem = dir.resolve(alias + ".pem");
    run(
        List.of(
            keytool.toString(),
            "-exportcert",
            "-rfc",
            "-alias",
            alias,
            "-keystore",
            keystore.toString(),
            "-storepass",
            PASSWORD,
            "-file",
            pem.toString()));
    run(
        List.of(
            keytool.toString(),
            "-importcert",
            "-noprompt",
            "-alias",
            alias,
            "-file",
            pem.toString(),
            "-storetype",
            "PKCS12",
            "-keystore",
            truststore.toString(),
            "-storepass",
            PASSWORD));
  }

  private static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool output: %s", out).isZero();
  }

  private static SSLContext serverContext() {
    return TlsSettings.builder()
        .optKeystore(serverKeystore, PASSWORD, "PKCS12", null)
        .optTruststore(serverTruststore, PASSWORD, "PKCS12")
        .build()
        .createSslContext();
  }

  private static Map<String, Object> clientProps(FakeSchemaRegistry registry) {
    Map<String, Object> props = new HashMap<>();
    props.put(SchemaRegistryClientConfig.URL, registry.url());
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION, clientTruststore.toString());
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, PASSWORD);
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE, "PKCS12");
    return props;
  }

  @Test
  void registersOverHttpsWithTheConfiguredTruststore() throws Exception {
    try (FakeSchemaRegistry registry = FakeSchemaRegistry.start(null, serverContext())) {
      SchemaRegistryClient client =
          new SchemaRegistryClientConfig(clientProps(registry)).createClient();

      assertThat(registry.url()).startsWith("https://127.0.0.1:");
      assertThat(client.register("texts-value", TextRecord.getClassSchema())).isPositive();
    }
  }

  @Test
  void presentsTheClientCertificateWhenTheRegistryDemandsOne() throws Exception {
    try (FakeSchemaRegistry registry = FakeSchemaRegistry.start(null, serverContext(), true)) {
      Map<String, Object> props = clientProps(registry);
      SchemaRegistryClient withoutCertificate =
          new SchemaRegistryClientConfig(props).createClient();
      assertThatThrownBy(
              () -> withoutCertificate.register("texts-value", TextRecord.getClassSchema()))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining("Could not reach the schema registry")
          .hasMessageContaining("schema.registry.ssl");

      props.put(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION, clientKeystore.toString());
      props.put(SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD, PASSWORD);
      // type left at its default, JKS: the JDK's JKS loader reads PKCS12 files too.
      SchemaRegistryClient withCertificate = new SchemaRegistryClientConfig(props).createClient();
      assertThat(withCertificate.register("texts-value", TextRecord.getClassSchema())).isPositive();
    }
  }

  @Test
  void aServerOutsideTheTruststoreIsRefused() throws Exception {
    try (FakeSchemaRegistry registry = FakeSchemaRegistry.start(null, serverContext())) {
      SchemaRegistryClient jdkDefaults =
          SchemaRegistryClient.builder().addUrl(registry.url()).build();
      assertThatThrownBy(() -> jdkDefaults.schemaById(1))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining(registry.url() + "/schemas/ids/1")
          .hasMessageContaining("schema.registry.ssl");
    }
  }

  @Test
  void storeProblemsNameTheFileAndTheSetting() {
    Map<String, Object> props = new HashMap<>();
    props.put(SchemaRegistryClientConfig.URL, "https://127.0.0.1:1");
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION, clientTruststore.toString());
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, "not-the-password");
    assertThatThrownBy(() -> new SchemaRegistryClientConfig(props).createClient())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(clientTruststore.toString())
        .hasMessageContaining("schema.registry.ssl.truststore.password")
        .hasMessageNotContaining("not-the-password");

    Path missing = dir.resolve("missing.p12");
    props.put(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION, missing.toString());
    assertThatThrownBy(() -> new SchemaRegistryClientConfig(props).createClient())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("schema.registry.ssl.truststore.location");

    props.remove(SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
    props.put(SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION, clientKeystore.toString());
    assertThatThrownBy(() -> new SchemaRegistryClientConfig(props).createClient())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.ssl.keystore.password");
  }

  @Test
  void protocolIsConfigurable() {
    SSLContext context =
        TlsSettings.builder()
            .optTruststore(clientTruststore, PASSWORD, "PKCS12")
            .optProtocol("TLSv1.2")
            .build()
            .createSslContext();
    assertThat(context.getProtocol()).isEqualTo("TLSv1.2");
    assertThatThrownBy(() -> TlsSettings.builder().optProtocol("SSLv9").build().createSslContext())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("schema.registry.ssl.protocol");
  }
}
