package dev.strata.model.backbone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MavenArtifactsTest {
  @TempDir Path repo;

  @Test
  void findsJarsByRepositoryLayout() throws Exception {
    MavenArtifacts m = new MavenArtifacts(repo, "mvn");
    Path expected = repo.resolve("com/example/models/tiny-model/1.2.3/tiny-model-1.2.3.jar");
    assertThat(m.jarPath("com.example.models:tiny-model:1.2.3")).isEqualTo(expected);
    Files.createDirectories(expected.getParent());
    Files.write(expected, new byte[] {1});
    assertThat(m.resolve("com.example.models:tiny-model:1.2.3")).isEqualTo(expected);
  }

  @Test
  void missingMavenIsReportedWithTheCommandToRun() {
    MavenArtifacts m = new MavenArtifacts(repo, "strata-test-no-such-mvn");
    assertThatThrownBy(() -> m.resolve("com.example:absent:1.0"))
        .isInstanceOf(ArtifactResolutionException.class)
        .hasMessageContaining("com.example:absent:1.0")
        .hasMessageContaining("strata-test-no-such-mvn")
        .hasMessageContaining("dependency:get -Dartifact=com.example:absent:1.0 -Dtransitive=false")
        .hasMessageContaining("PATH");
  }

  @Test
  void failingMavenIsReportedWithItsOutput() {
    // 'false' is a command that starts and exits with 1, like a failed resolution
    MavenArtifacts m = new MavenArtifacts(repo, "false");
    assertThatThrownBy(() -> m.resolve("com.example:absent:1.0"))
        .isInstanceOf(ArtifactResolutionException.class)
        .hasMessageContaining("could not fetch backbone artifact com.example:absent:1.0")
        .hasMessageContaining("exit code 1")
        .hasMessageContaining("run by hand");
  }

  @Test
  void badCoordinatesAreRejected() {
    MavenArtifacts m = new MavenArtifacts(repo, "mvn");
    assertThatThrownBy(() -> m.jarPath("just-a-name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("group:artifact:version");
  }
}
