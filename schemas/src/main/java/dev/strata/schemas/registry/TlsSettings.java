package dev.strata.schemas.registry;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Trust store (whom to trust) and optional key store (client certificate for mutual TLS) for an
 * {@code https} registry. Without a trust store the JDK's default trusted CAs are used.
 *
 * <p>Hostname verification is always on: the registry's certificate must name the host in {@code
 * schema.registry.url} (a SAN entry for {@code 127.0.0.1} when testing locally).
 */
public final class TlsSettings {
  private final Path truststorePath;
  private final String truststorePassword;
  private final String truststoreType;
  private final Path keystorePath;
  private final String keystorePassword;
  private final String keystoreType;
  private final String keyPassword;
  private final String protocol;

  private TlsSettings(Builder b) {
    this.truststorePath = b.truststorePath;
    this.truststorePassword = b.truststorePassword;
    this.truststoreType = b.truststoreType;
    this.keystorePath = b.keystorePath;
    this.keystorePassword = b.keystorePassword;
    this.keystoreType = b.keystoreType;
    this.keyPassword = b.keyPassword;
    this.protocol = b.protocol;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TLS protocol passed to {@link SSLContext#getInstance(String)}, e.g. {@code TLSv1.3}. */
  public String protocol() {
    return protocol;
  }

  /** Whether a client certificate is presented (mutual TLS). */
  public boolean hasKeystore() {
    return keystorePath != null;
  }

  /** Whether a trust store replaces the JDK's default trusted CAs. */
  public boolean hasTruststore() {
    return truststorePath != null;
  }

  /**
   * Loads the stores and builds the context.
   *
   * @throws IllegalArgumentException naming the file and the setting to fix when a store is
   *     missing, unreadable, of another type or opened with the wrong password
   */
  public SSLContext createSslContext() {
    try {
      TrustManagerFactory tmf = null;
      if (truststorePath != null) {
        KeyStore trust =
            load(
                truststorePath,
                truststorePassword,
                truststoreType,
                SchemaRegistryClientConfig.SSL_TRUSTSTORE_LOCATION,
                SchemaRegistryClientConfig.SSL_TRUSTSTORE_PASSWORD,
                SchemaRegistryClientConfig.SSL_TRUSTSTORE_TYPE);
        tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
      }
      KeyManagerFactory kmf = null;
      if (keystorePath != null) {
        KeyStore keys =
            load(
                keystorePath,
                keystorePassword,
                keystoreType,
                SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION,
                SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD,
                SchemaRegistryClientConfig.SSL_KEYSTORE_TYPE);
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        String pw = keyPassword != null ? keyPassword : keystorePassword;
        try {
          kmf.init(keys, pw == null ? new char[0] : pw.toCharArray());
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(
              "Could not read the private key in keystore "
                  + keystorePath
                  + ": "
                  + e.getMessage()
                  + ". Set "
                  + SchemaRegistryClientConfig.SSL_KEY_PASSWORD
                  + " when the key's password differs from the keystore's.",
              e);
        }
      }
      SSLContext context = SSLContext.getInstance(protocol);
      context.init(
          kmf == null ? null : kmf.getKeyManagers(),
          tmf == null ? null : tmf.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Could not set up TLS (protocol "
              + protocol
              + "): "
              + e.getMessage()
              + ". Check "
              + SchemaRegistryClientConfig.SSL_PROTOCOL
              + " (e.g. TLSv1.3 or TLSv1.2).",
          e);
    }
  }

  private static KeyStore load(
      Path path, String password, String type, String pathKey, String passwordKey, String typeKey) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(
          "Store file " + path + " (" + pathKey + ") does not exist or is not readable.");
    }
    KeyStore store;
    try {
      store = KeyStore.getInstance(type);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Unknown key store type '" + type + "' (" + typeKey + "); use PKCS12 or JKS.", e);
    }
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password == null ? null : password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "Could not open "
              + path
              + " ("
              + pathKey
              + ") as a "
              + type
              + " store: "
              + e.getMessage()
              + ". Check "
              + passwordKey
              + " and "
              + typeKey
              + ".",
          e);
    }
  }

  /** Builder; {@link #build()} checks that each store comes with a password. */
  public static final class Builder {
    private Path truststorePath;
    private String truststorePassword;
    private String truststoreType = "JKS";
    private Path keystorePath;
    private String keystorePassword;
    private String keystoreType = "JKS";
    private String keyPassword;
    private String protocol = "TLSv1.3";

    private Builder() {}

    /**
     * Trust store holding the registry's CA certificate. Type {@code JKS} (the JDK's JKS loader
     * also reads PKCS12 files) or {@code PKCS12}.
     */
    public Builder optTruststore(Path path, String password, String type) {
      this.truststorePath = requireNonNull(path, "path");
      this.truststorePassword = password;
      this.truststoreType = requireNonNull(type, "type");
      return this;
    }

    /** Key store with the client certificate and key, for registries that require mutual TLS. */
    public Builder optKeystore(Path path, String password, String type, String keyPassword) {
      this.keystorePath = requireNonNull(path, "path");
      this.keystorePassword = password;
      this.keystoreType = requireNonNull(type, "type");
      this.keyPassword = keyPassword;
      return this;
    }

    /** TLS protocol, default {@code TLSv1.3}. */
    public Builder optProtocol(String protocol) {
      this.protocol = requireNonNull(protocol, "protocol");
      return this;
    }

    public TlsSettings build() {
      if (protocol.isBlank()) {
        throw new IllegalArgumentException(
            SchemaRegistryClientConfig.SSL_PROTOCOL + " is empty; use TLSv1.3 or TLSv1.2");
      }
      if (keystorePath != null && keystorePassword == null) {
        throw new IllegalArgumentException(
            SchemaRegistryClientConfig.SSL_KEYSTORE_LOCATION
                + " is set to "
                + keystorePath
                + " but "
                + SchemaRegistryClientConfig.SSL_KEYSTORE_PASSWORD
                + " is not; a key store needs a password");
      }
      return new TlsSettings(this);
    }
  }
}
