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
    Path app = Path.of("src", "main", "java", "dev", "strata", "app");
    Path root = app.resolve("stream");
    assertThat(root).isDirectory();
    assertThat(app.resolve("feedback")).isDirectory();
    try (Stream<Path> files =
        Stream.concat(Files.walk(root), Files.walk(app.resolve("feedback")))) {
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
      assertThat(offenders)
          .as("files under dev.strata.app.stream or .feedback importing ai.djl")
          .isEmpty();
    }
  }
}
