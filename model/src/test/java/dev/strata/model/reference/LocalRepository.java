package dev.strata.model.reference;

import java.nio.file.Path;

/** Finds artifacts in the local Maven repository the build resolved them into. */
final class LocalRepository {

  private LocalRepository() {}

  /** The local repository: {@code maven.repo.local} if set, else {@code ~/.m2/repository}. */
  static Path root() {
    String configured = System.getProperty("maven.repo.local");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    return Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** The path of {@code group:artifact:version} as a jar in the local repository. */
  static Path jar(String group, String artifact, String version) {
    return root()
        .resolve(group.replace('.', '/'))
        .resolve(artifact)
        .resolve(version)
        .resolve(artifact + "-" + version + ".jar");
  }
}
