package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The topology talks to the model through {@link Annotator} only: no engine types leak in. */
class ModuleBoundaryTest {
  @Test
  void topologyCodeNeverImportsTheEngine() throws IOException {
    Path root = Path.of("src", "main", "java", "dev", "strata", "app", "stream");
    assertThat(root).isDirectory();
    try (Stream<Path> files = Files.walk(root)) {
      List<String> offenders =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(
                  p -> {
                    try {
                      return Files.readString(p).contains("import ai.djl");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .map(Path::toString)
              .toList();
      assertThat(offenders).as("files under dev.strata.app.stream importing ai.djl").isEmpty();
    }
  }
}
