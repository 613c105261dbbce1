package dev.strata.model.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the shared data sets, which are never part of the repository: the system property {@code
 * strata.data.dir} when set, else {@code ../shared/data} from the project root (the nearest
 * ancestor of the working directory holding both {@code pom.xml} and {@code model/}).
 */
public final class SharedData {
  static final String PROPERTY = "strata.data.dir";

  private SharedData() {}

  public static Path dir() {
    String prop = System.getProperty(PROPERTY);
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("model"))) {
        Path parent = dir.getParent();
        return parent == null ? dir.resolve("shared/data") : parent.resolve("shared/data");
      }
      dir = dir.getParent();
    }
    return Path.of("shared/data").toAbsolutePath();
  }

  /** The folder of a data set, skipping the calling test when it is absent. */
  public static Path require(String dataset) {
    Path d = dir().resolve(dataset);
    assumeTrue(
        Files.isDirectory(d),
        "data set "
            + dataset
            + " not found at "
            + d
            + ": place the shared data next to the project (../shared/data) or run with -D"
            + PROPERTY
            + "=<folder>; skipping");
    return d;
  }
}
