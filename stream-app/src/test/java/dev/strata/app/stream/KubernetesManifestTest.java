package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.strata.app.stream.metrics.MetricsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example Kubernetes manifest ({@code deploy/kubernetes/strata.yaml}) against the code and the
 * image it runs: no cluster is needed, and none runs here, so this is what keeps it true.
 */
class KubernetesManifestTest {
  private static final Path MANIFEST = Path.of("..", "deploy", "kubernetes", "strata.yaml");
  private static final Path IMAGE_BUILD = Path.of("..", "deploy", "container", "build-image.sh");
  private static final String CONFIG_FILE = "/etc/strata/strata.properties";

  private static Map<String, JsonNode> byKind;

  @TempDir Path dir;

  @BeforeAll
  static void read() throws IOException {
    assertThat(MANIFEST).as("deploy/kubernetes/strata.yaml next to the module").exists();
    byKind = new HashMap<>();
    try (MappingIterator<JsonNode> docs =
        new YAMLMapper().readerFor(JsonNode.class).readValues(MANIFEST.toFile())) {
      for (JsonNode doc : docs.readAll()) {
        assertThat(doc.path("apiVersion").asText()).as("apiVersion of " + doc).isNotEmpty();
        assertThat(doc.path("metadata").path("name").asText()).as("name of " + doc).isNotEmpty();
        assertThat(byKind.put(doc.path("kind").asText(), doc)).as("one of each kind").isNull();
      }
    }
    assertThat(byKind)
        .containsOnlyKeys("ConfigMap", "Job", "Service", "StatefulSet", "PodDisruptionBudget");
  }

  @Test
  void theConfigurationIsValidAndEveryPathItNamesIsOnAMountedVolume() throws IOException {
    JsonNode app = container("StatefulSet");
    StrataConfig config = config(app);
    assertThat(config.unknownKeys()).isEmpty();
    assertThat(app.path("args").toString())
        .isEqualTo("[\"run\",\"--config\",\"" + CONFIG_FILE + "\"]");

    assertThat(mount(app, CONFIG_FILE)).as(CONFIG_FILE).isNotNull();
    JsonNode models = mount(app, config.modelPath().toString());
    assertThat(models).as("a volume holding model.path " + config.modelPath()).isNotNull();
    String stateDir = config.streamsProperties().getProperty("state.dir");
    assertThat(stateDir).as("streams.state.dir set: the default is the OS temp folder").isNotNull();
    JsonNode state = mount(app, stateDir);
    assertThat(state).as("a volume holding streams.state.dir " + stateDir).isNotNull();
    assertThat(state.path("readOnly").asBoolean()).as("state volume writable").isFalse();
    // The image keeps its weight cache and libtorch under its volume /var/lib/strata.
    assertThat(imageBuild()).contains("--config.volume /var/lib/strata ");
    assertThat(mount(app, "/var/lib/strata/cache")).isSameAs(state);
    assertThat(state.path("name").asText())
        .isEqualTo(
            byKind
                .get("StatefulSet")
                .path("spec")
                .path("volumeClaimTemplates")
                .path(0)
                .path("metadata")
                .path("name")
                .asText());
  }

  @Test
  void everyMountNamesAVolumeOfItsPodAndTheConfigVolumeIsTheConfigMap() {
    String configMap = byKind.get("ConfigMap").path("metadata").path("name").asText();
    for (String kind : List.of("StatefulSet", "Job")) {
      JsonNode spec = byKind.get(kind).path("spec");
      String configVolume = mount(container(kind), CONFIG_FILE).path("name").asText();
      spec.path("template")
          .path("spec")
          .path("volumes")
          .forEach(
              v -> {
                if (v.path("name").asText().equals(configVolume)) {
                  assertThat(v.path("configMap").path("name").asText())
                      .as(kind)
                      .isEqualTo(configMap);
                }
              });
      List<String> volumes = new ArrayList<>();
      spec.path("template")
          .path("spec")
          .path("volumes")
          .forEach(v -> volumes.add(v.path("name").asText()));
      spec.path("volumeClaimTemplates")
          .forEach(v -> volumes.add(v.path("metadata").path("name").asText()));
      container(kind)
          .path("volumeMounts")
          .forEach(m -> assertThat(volumes).as(kind).contains(m.path("name").asText()));
    }
  }

  @Test
  void theProbesAndThePortAreTheApplications() throws IOException {
    JsonNode app = container("StatefulSet");
    int port = config(app).metricsPort();
    JsonNode declared = app.path("ports").path(0);
    assertThat(declared.path("containerPort").asInt()).isEqualTo(port);
    assertThat(imageBuild()).contains("--config.exposedports " + port + "/tcp");
    String portName = declared.path("name").asText();
    assertThat(probe(app, "startupProbe")).isEqualTo(portName + MetricsServer.LIVE_PATH);
    assertThat(probe(app, "livenessProbe")).isEqualTo(portName + MetricsServer.LIVE_PATH);
    assertThat(probe(app, "readinessProbe")).isEqualTo(portName + MetricsServer.READY_PATH);

    JsonNode service = byKind.get("Service").path("spec");
    assertThat(byKind.get("StatefulSet").path("spec").path("serviceName").asText())
        .isEqualTo(byKind.get("Service").path("metadata").path("name").asText());
    assertThat(service.path("clusterIP").asText()).as("headless").isEqualTo("None");
    assertThat(service.path("ports").path(0).path("targetPort").asText()).isEqualTo(portName);
    JsonNode podLabels = byKind.get("StatefulSet").path("spec").path("template").path("metadata");
    assertThat(service.path("selector")).isEqualTo(podLabels.path("labels"));
    assertThat(byKind.get("PodDisruptionBudget").path("spec").path("selector").path("matchLabels"))
        .isEqualTo(podLabels.path("labels"));
    assertThat(podLabels.path("annotations").path("prometheus.io/port").asText())
        .isEqualTo(String.valueOf(port));
    assertThat(podLabels.path("annotations").path("prometheus.io/path").asText())
        .isEqualTo(MetricsServer.METRICS_PATH);
  }

  @Test
  void podsRunAsTheImagesUserAndTheTopicsJobUsesTheSameConfiguration() throws IOException {
    Matcher uid = Pattern.compile("(?m)^STRATA_UID=(\\d+)$").matcher(imageBuild());
    assertThat(uid.find()).as("STRATA_UID= in build-image.sh").isTrue();
    for (String kind : List.of("StatefulSet", "Job")) {
      JsonNode security = byKind.get(kind).path("spec").path("template").path("spec");
      security = security.path("securityContext");
      assertThat(security.path("runAsNonRoot").asBoolean()).as(kind).isTrue();
      assertThat(security.path("runAsUser").asText()).as(kind).isEqualTo(uid.group(1));
      assertThat(security.path("runAsGroup").asText()).as(kind).isEqualTo(uid.group(1));
      // A read-only root, as ContainerImageIT runs the image: java.io.tmpdir needs a volume.
      JsonNode container = container(kind);
      assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean())
          .as(kind)
          .isTrue();
      assertThat(mount(container, "/tmp")).as(kind + ": a volume at /tmp").isNotNull();
      assertThat(mount(container, "/tmp").path("readOnly").asBoolean()).isFalse();
    }
    JsonNode job = container("Job");
    assertThat(job.path("args").toString())
        .isEqualTo("[\"topics\",\"create\",\"--config\",\"" + CONFIG_FILE + "\"]");
    assertThat(mount(job, CONFIG_FILE)).isNotNull();
    assertThat(job.path("image")).isEqualTo(container("StatefulSet").path("image"));
  }

  /** The configuration file of the ConfigMap with the container's STRATA_* variables applied. */
  private StrataConfig config(JsonNode container) throws IOException {
    JsonNode data = byKind.get("ConfigMap").path("data");
    Path file =
        Files.writeString(
            dir.resolve("strata.properties"), data.path("strata.properties").asText());
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
    return StrataConfig.load(file, env);
  }

  private static JsonNode container(String kind) {
    JsonNode containers =
        byKind.get(kind).path("spec").path("template").path("spec").path("containers");
    assertThat(containers.size()).as("containers of " + kind).isEqualTo(1);
    return containers.get(0);
  }

  /** The mount whose path holds {@code path}, the longest if several do; null if none. */
  private static JsonNode mount(JsonNode container, String path) {
    JsonNode best = null;
    List<JsonNode> mounts = new ArrayList<>();
    container.path("volumeMounts").forEach(mounts::add);
    for (JsonNode m : mounts) {
      String at = m.path("mountPath").asText();
      if (Path.of(path).startsWith(at)
          && (best == null || at.length() > best.path("mountPath").asText().length())) {
        best = m;
      }
    }
    return best;
  }

  /** {@code PORT_NAME/PATH} of an HTTP probe. */
  private static String probe(JsonNode container, String name) {
    JsonNode get = container.path(name).path("httpGet");
    return get.path("port").asText() + get.path("path").asText();
  }

  private static String imageBuild() throws IOException {
    return Files.readString(IMAGE_BUILD);
  }
}
