package dev.strata.model.backbone;

import java.nio.file.Path;

/** Folders a user can choose by system property or environment variable. */
final class EnvironmentPaths {
  private EnvironmentPaths() {}

  /**
   * The system property {@code property} if set and not blank, else the environment variable {@code
   * env} if set and not blank, else the folder {@code underHome} of the user's home folder.
   */
  static Path propertyEnvOrHome(String property, String env, String... underHome) {
    String prop = System.getProperty(property);
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    String value = System.getenv(env);
    if (value != null && !value.isBlank()) {
      return Path.of(value);
    }
    return Path.of(System.getProperty("user.home"), underHome);
  }
}
