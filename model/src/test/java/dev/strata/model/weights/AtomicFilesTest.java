package dev.strata.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  @Test
  void theTemporaryFileIsANewEmptySiblingWithTheTargetsName() throws IOException {
    Path target = dir.resolve("sub/model.strata");
    Set<Path> made = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      Path tmp = AtomicFiles.tempSibling(target);
      assertThat(tmp.getParent()).isEqualTo(target.getParent());
      assertThat(tmp.getFileName().toString()).startsWith("model.strata.").endsWith(".tmp");
      assertThat(tmp).isEmptyFile();
      made.add(tmp);
    }
    assertThat(made).hasSize(20);
    assertThat(target).doesNotExist();
  }

  @Test
  void replaceRenamesTheTemporaryFileOverAnExistingTarget() throws IOException {
    Path target = Files.writeString(dir.resolve("model.strata"), "old");
    Path tmp = AtomicFiles.tempSibling(target);
    Files.writeString(tmp, "new");
    AtomicFiles.replace(tmp, target);
    assertThat(target).hasContent("new");
    assertThat(tmp).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
  }

  @Test
  void theTemporaryFileHasThePermissionsOfAnyNewFileNotOwnerOnly() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions only");
    Path plain = Files.createFile(dir.resolve("plain"));
    Path tmp = AtomicFiles.tempSibling(dir.resolve("model.strata"));
    assertThat(Files.getPosixFilePermissions(tmp)).isEqualTo(Files.getPosixFilePermissions(plain));
    // The same check for what Files.createTempFile would have given: owner-only.
    Path jdkTemp = Files.createTempFile(dir, "x", ".tmp");
    assumeTrue(
        !Files.getPosixFilePermissions(plain).equals(Files.getPosixFilePermissions(jdkTemp)),
        "this umask gives new files owner-only permissions anyway");
    assertThat(Files.getPosixFilePermissions(tmp))
        .isNotEqualTo(Files.getPosixFilePermissions(jdkTemp));
  }
}
