package dev.strata.schemas.registry;

import java.net.URI;
import java.net.URISyntaxException;

/** Validation and clean-up of schema registry base URLs for {@link SchemaRegistryClient}. */
final class RegistryUrls {
  private RegistryUrls() {}

  /**
   * Parses a registry base URL: http or https with a host, no query or fragment; the message names
   * the setting and never echoes credentials.
   */
  static URI parse(String url) {
    String trimmed = url.strip();
    URI uri;
    try {
      uri = new URI(trimmed);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "Invalid schema registry URL in "
              + SchemaRegistryClientConfig.URL
              + ": "
              + e.getReason()
              + " in '"
              + withoutUserInfoText(trimmed)
              + "'");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "Invalid schema registry URL '"
              + withoutUserInfoText(trimmed)
              + "' in "
              + SchemaRegistryClientConfig.URL
              + ": expected http://HOST:PORT[/PREFIX] or https://...");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "Schema registry URL '"
              + withoutUserInfoText(trimmed)
              + "' in "
              + SchemaRegistryClientConfig.URL
              + " has a query or fragment; give only scheme, host, port and path prefix");
    }
    return uri;
  }

  /** The URL without credentials and trailing slashes, scheme in lower case. */
  static URI withoutUserInfo(URI uri) {
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
    return URI.create(uri.getScheme().toLowerCase() + "://" + uri.getHost() + port + path);
  }

  private static String withoutUserInfoText(String url) {
    return url.replaceFirst("//[^/@]*@", "//");
  }
}
