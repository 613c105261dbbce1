package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataConfig;
import dev.strata.model.ner.Entity;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image of {@code ./strata image}, run as an image runtime would run it: the image
 * archive is unpacked with skopeo and umoci into a runtime bundle, and its entrypoint runs {@code
 * strata run} inside the image's root file system (chroot, a private {@code /proc}), as the image's
 * user, in its working directory, with only the image's environment. It must annotate records from
 * the real broker exactly as the same model does in process, with the backbone weights it carries
 * (no Maven, no network), and answer {@code /health/ready} on its metrics port.
 *
 * <p>{@code deploy/bin/run-tests.sh} builds the image (backbone {@value TrainedTagger#BACKBONE})
 * when it runs as root with debootstrap, umoci and skopeo installed, and passes it as {@value
 * #IMAGE}; without it the test is skipped, or fails when {@value #IMAGE_REQUIRED} is {@code true}
 * (CI).
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class ContainerImageIT {
  static final String IMAGE = "strata.it.image";
  static final String IMAGE_REQUIRED = "strata.it.image.required";

  private static final Map<String, String> TEXTS = new LinkedHashMap<>();

  static {
    TEXTS.put("c1", "Angela Merkel met Emmanuel Macron in Paris on Monday.");
    TEXTS.put("c2", "Shares of Microsoft rose on Wall Street after the report from Reuters.");
    TEXTS.put("c3", "Germany beat England 2-1 in London.");
    TEXTS.put("c4", "It rained all day.");
  }

  @TempDir Path dir;

  @Test
  void theImageRunsTheStreamApplicationAsItsOwnUserWithTheWeightsItCarries(
      EntityTaggerAnnotator annotator) throws Exception {
    String image = System.getProperty(IMAGE, "");
    if (image.isBlank() && Boolean.getBoolean(IMAGE_REQUIRED)) {
      throw new IllegalStateException(
          IMAGE + " is not set but " + IMAGE_REQUIRED + "=true: deploy/bin/run-tests.sh builds it");
    }
    assumeTrue(
        !image.isBlank(),
        "no container image given (-D"
            + IMAGE
            + "); ./strata test builds one when run as root with debootstrap, umoci and skopeo;"
            + " skipping");

    Path bundle = unpack(Path.of(image));
    JsonNode process =
        new ObjectMapper().readTree(bundle.resolve("config.json").toFile()).get("process");
    Path rootfs = bundle.resolve("rootfs");
    List<String> entrypoint = new ArrayList<>();
    process.get("args").forEach(a -> entrypoint.add(a.asText()));
    int uid = process.get("user").get("uid").asInt();
    int gid = process.get("user").get("gid").asInt();
    List<String> env = new ArrayList<>();
    process.get("env").forEach(e -> env.add(e.asText()));
    assertThat(entrypoint).first().isEqualTo("/opt/strata/bin/strata");
    assertThat(uid).as("the image's user").isNotZero();
    assertThat(env).contains("STRATA_MAVEN_REPO=/opt/strata/maven-repo");
    assertThat(rootfs.resolve("usr/bin/mvn")).as("no Maven in the image").doesNotExist();

    // The image's default command (entrypoint + --help) prints the image's own help.
    Path helpLog = ChildLogs.file("container-help-" + uid);
    Process help = start(rootfs, uid, gid, process.get("cwd").asText(), env, entrypoint, helpLog);
    try {
      assertThat(help.waitFor(120, TimeUnit.SECONDS)).as("--help finished").isTrue();
    } finally {
      stop(help);
    }
    String helpText = Files.readString(helpLog);
    assertThat(help.exitValue()).as(helpText).isZero();
    assertThat(helpText)
        .contains("Usage: strata", "In the container image", "run --config", "Not in the image")
        .doesNotContain("infra start")
        .doesNotContainPattern("(?m)^  (verify-backbone|bench-encoder|bench-stream) ");

    // The root file system is read-only in there, even for root; /tmp and the volume are not.
    Path probeLog = ChildLogs.file("container-read-only");
    Process probe =
        start(
            rootfs,
            0,
            0,
            "/",
            env,
            List.of(
                "/bin/sh",
                "-c",
                "touch /tmp/t /var/lib/strata/t && rm /tmp/t /var/lib/strata/t && touch /etc/t"),
            probeLog);
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("write probe finished").isTrue();
    assertThat(probe.exitValue()).as(Files.readString(probeLog)).isNotZero();
    assertThat(Files.readString(probeLog)).contains("/etc/t").contains("Read-only file system");

    // The model and the configuration, where a volume or a config map would put them.
    Path it = Files.createDirectories(rootfs.resolve("etc/strata"));
    Files.copy(TrainedTagger.modelFile(), it.resolve("model.strata"));
    int metricsPort = freePort();
    try (Pipeline p = new Pipeline("container", 1, dir.resolve("unused-state"))) {
      p.set(StrataConfig.MODEL_PATH, "/etc/strata/model.strata")
          .set(StrataConfig.METRICS_PORT, metricsPort)
          .set(StrataConfig.STREAMS_PREFIX + "state.dir", "/var/lib/strata/state");
      p.writeProperties(it.resolve("strata.properties"));

      List<String> cmd = new ArrayList<>(entrypoint.subList(0, 1));
      cmd.addAll(List.of("run", "--config", "/etc/strata/strata.properties", "--device", "cpu"));
      Path log = ChildLogs.file(p.applicationId + "-container");
      Process app = start(rootfs, uid, gid, process.get("cwd").asText(), env, cmd, log);
      try (KafkaProducer<byte[], byte[]> producer = p.kafka.producer()) {
        p.send(producer, TEXTS);
        List<ConsumerRecord<byte[], byte[]>> out =
            p.kafka.readCommitted(
                p.output,
                r -> r.size() >= TEXTS.size() || !app.isAlive(),
                Duration.ofSeconds(240),
                Duration.ZERO);
        assertThat(app.isAlive())
            .as("the container is running; its log:%n%s", ChildLogs.tail(log))
            .isTrue();
        assertThat(out)
            .as("annotated records; the container's log:%n%s", ChildLogs.tail(log))
            .hasSize(TEXTS.size());

        int spans = 0;
        for (ConsumerRecord<byte[], byte[]> r : out) {
          AnnotatedRecord a = p.decode(r.value());
          String text = TEXTS.get(a.getInputId());
          // strata run serves the file as head "base": its version names the file, not the head.
          assertThat(Pipeline.header(r, "strata.model.version"))
              .startsWith(TrainedTagger.BACKBONE + "/base@file:");
          List<Entity> direct = annotator.annotate(List.of(text)).get(0).entities();
          assertThat(a.getEntities()).as("spans of %s", a.getInputId()).hasSameSizeAs(direct);
          for (int i = 0; i < direct.size(); i++) {
            EntitySpan s = a.getEntities().get(i);
            Entity e = direct.get(i);
            assertThat(List.of(s.getStart(), s.getEnd(), s.getLabel(), s.getText()))
                .isEqualTo(List.of(e.start(), e.end(), e.label(), e.text()));
            spans++;
          }
        }
        assertThat(spans).as("entity spans over all texts").isGreaterThanOrEqualTo(3);
        assertThat(status("http://127.0.0.1:" + metricsPort + "/health/ready")).isEqualTo(200);
        assertThat(rootfs.resolve("var/lib/strata/cache/backbones/" + TrainedTagger.BACKBONE))
            .as("converted weights in the image's volume")
            .isDirectory();
        System.out.printf(
            "[strata-it] container: %d texts annotated by the image's entrypoint as uid %d,"
                + " %d entity spans as in-process%n",
            TEXTS.size(), uid, spans);
      } finally {
        stop(app);
      }
      // SIGTERM, what 'docker stop' sends, shuts the application down cleanly.
      assertThat(Files.readString(log)).as("the container's log").contains("-> NOT_RUNNING");
    }
  }

  /**
   * {@code skopeo copy docker-archive:IMAGE oci:...} and {@code umoci unpack}: a runtime bundle.
   */
  private Path unpack(Path image) throws IOException, InterruptedException {
    assertThat(image).as("the image archive").isRegularFile();
    Path layout = dir.resolve("oci");
    Path bundle = dir.resolve("bundle");
    run("skopeo", "copy", "--quiet", "docker-archive:" + image, "oci:" + layout + ":strata");
    run("umoci", "unpack", "--image", layout + ":strata", bundle.toString());
    return bundle;
  }

  /**
   * Starts {@code cmd} in {@code rootfs} as a container runtime would: a new mount namespace with
   * its own {@code /proc}, chroot, the image's user and group, an environment holding only the
   * image's variables, the image's working directory. The root file system is read-only, as under
   * Kubernetes' {@code readOnlyRootFilesystem} (deploy/kubernetes): only the image's volume {@code
   * /var/lib/strata} and a fresh {@code /tmp} (an emptyDir there) are writable.
   */
  private static Process start(
      Path rootfs, int uid, int gid, String cwd, List<String> env, List<String> cmd, Path log)
      throws IOException {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--fork",
                "--",
                "sh",
                "-c",
                "root=$1 && user=$2 && shift 2"
                    + " && mount --bind \"$root\" \"$root\""
                    + " && mount --bind \"$root/var/lib/strata\" \"$root/var/lib/strata\""
                    + " && mount -t tmpfs tmpfs \"$root/tmp\""
                    + " && mount -t proc proc \"$root/proc\""
                    + " && mount -o remount,bind,ro \"$root\""
                    + " && exec chroot --userspec=\"$user\" \"$root\" \"$@\"",
                "sh",
                rootfs.toString(),
                uid + ":" + gid,
                "/usr/bin/env",
                "-i"));
    argv.addAll(env);
    argv.addAll(List.of("/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", cwd));
    argv.addAll(cmd);
    Process p =
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // Should the test JVM be stopped first, the container's processes (another user) go with it.
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> p.descendants().forEach(ProcessHandle::destroyForcibly)));
    return p;
  }

  /**
   * SIGTERM to the container's processes (a clean shutdown), SIGKILL to what is left after 30 s.
   * They are stopped one by one: chroot's change of user clears unshare's --kill-child signal.
   */
  private static void stop(Process app) throws InterruptedException {
    List<ProcessHandle> inside = app.descendants().toList();
    inside.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    for (ProcessHandle h : inside) {
      while (h.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      h.destroyForcibly();
    }
    app.destroyForcibly().waitFor();
  }

  private static void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
  }

  private static int status(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(10_000);
    c.setReadTimeout(10_000);
    try {
      return c.getResponseCode();
    } finally {
      c.disconnect();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
