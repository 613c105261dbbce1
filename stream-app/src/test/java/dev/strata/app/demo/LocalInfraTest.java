package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the infrastructure driver that need no broker. */
class LocalInfraTest {

  @Test
  void readsTheClientSettingsTheScriptWrites() {
    LocalInfra.Endpoints e =
        LocalInfra.Endpoints.fromEnvFile(
            "bootstrap.servers=127.0.0.1:29092\n"
                + "schema.registry.url=http://127.0.0.1:28081/apis/ccompat/v7\n"
                + "apicurio.registry.url=http://127.0.0.1:28081/apis/registry/v3\n"
                + "registry.version=3.3.3\n",
            Path.of("env"));
    assertThat(e.bootstrapServers()).isEqualTo("127.0.0.1:29092");
    assertThat(e.schemaRegistryUrl()).isEqualTo("http://127.0.0.1:28081/apis/ccompat/v7");
  }

  @Test
  void incompleteSettingsSayHowToRestart() {
    assertThatThrownBy(
            () -> LocalInfra.Endpoints.fromEnvFile("bootstrap.servers=h:1\n", Path.of("env")))
        .isInstanceOf(DemoException.class)
        .hasMessageContaining("schema.registry.url")
        .hasMessageContaining("./strata infra start");
  }

  @Test
  void aFolderWithoutTheScriptIsRefusedWithWhatToDo(@TempDir Path dir) {
    assertThatThrownBy(() -> LocalInfra.of(dir))
        .isInstanceOf(DemoException.class)
        .hasMessageContaining(LocalInfra.SCRIPT)
        .hasMessageContaining("--bootstrap-servers");
  }

  @Test
  void missingSettingsFileSaysToStartTheInfrastructure(@TempDir Path dir) throws Exception {
    Path script = dir.resolve(LocalInfra.SCRIPT);
    Files.createDirectories(script.getParent());
    Files.writeString(script, "exit 3\n");
    LocalInfra infra = LocalInfra.of(dir);
    assertThat(infra.isReady()).isFalse();
    assertThatThrownBy(infra::endpoints)
        .isInstanceOf(DemoException.class)
        .hasMessageContaining("./strata infra start");
    assertThatThrownBy(infra::start)
        .isInstanceOf(DemoException.class)
        .hasMessageContaining("exited 3");
  }
}
