package dev.strata.model.backbone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds artifact jars in the local Maven repository and, when one is missing, asks Maven to fetch
 * it ({@code mvn dependency:get}) from the repositories Maven itself is configured with. No
 * repository URL is known to this class.
 *
 * <p>The local repository is the system property {@code maven.repo.local}, else the environment
 * variable {@code STRATA_MAVEN_REPO}, else {@code ~/.m2/repository}.
 */
public final class MavenArtifacts {
  /** System property naming the local repository (the one Maven itself uses). */
  public static final String REPO_PROPERTY = "maven.repo.local";

  /** Environment variable naming the local repository. */
  public static final String REPO_ENV = "STRATA_MAVEN_REPO";

  private static final Logger LOG = LoggerFactory.getLogger(MavenArtifacts.class);
  private static final int OUTPUT_TAIL_CHARS = 2000;

  private final Path localRepository;
  private final String mvnExecutable;

  /**
   * @param localRepository the local Maven repository
   * @param mvnExecutable the Maven command to run for missing artifacts, e.g. {@code mvn}
   */
  public MavenArtifacts(Path localRepository, String mvnExecutable) {
    this.localRepository = Objects.requireNonNull(localRepository, "localRepository");
    this.mvnExecutable = Objects.requireNonNull(mvnExecutable, "mvnExecutable");
  }

  /** The local repository from the environment and the {@code mvn} on the PATH. */
  public static MavenArtifacts fromEnvironment() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
    return new MavenArtifacts(defaultLocalRepository(), windows ? "mvn.cmd" : "mvn");
  }

  /** {@code maven.repo.local}, else {@code STRATA_MAVEN_REPO}, else {@code ~/.m2/repository}. */
  public static Path defaultLocalRepository() {
    return EnvironmentPaths.propertyEnvOrHome(REPO_PROPERTY, REPO_ENV, ".m2", "repository");
  }

  /** The local repository this instance looks in. */
  public Path localRepository() {
    return localRepository;
  }

  /** Maven coordinates {@code group:artifact:version} of a jar. */
  public record Coordinates(String groupId, String artifactId, String version) {
    public Coordinates {
      Objects.requireNonNull(groupId, "groupId");
      Objects.requireNonNull(artifactId, "artifactId");
      Objects.requireNonNull(version, "version");
    }

    /**
     * Parses {@code group:artifact:version}.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    public static Coordinates parse(String coordinates) {
      Objects.requireNonNull(coordinates, "coordinates");
      String[] p = coordinates.split(":", -1);
      if (p.length != 3 || p[0].isBlank() || p[1].isBlank() || p[2].isBlank()) {
        throw new IllegalArgumentException(
            "Maven coordinates must be group:artifact:version, got '" + coordinates + "'");
      }
      return new Coordinates(p[0], p[1], p[2]);
    }

    /** The jar's path relative to a repository root. */
    public Path jarPath() {
      return Path.of(groupId.replace('.', '/'), artifactId, version)
          .resolve(artifactId + "-" + version + ".jar");
    }

    @Override
    public String toString() {
      return groupId + ":" + artifactId + ":" + version;
    }
  }

  /** Where the jar of these coordinates lives in the local repository (it may not exist). */
  public Path jarPath(String coordinates) {
    return localRepository.resolve(Coordinates.parse(coordinates).jarPath());
  }

  /**
   * The jar of these coordinates, fetched with {@code mvn dependency:get} if it is not in the local
   * repository yet.
   *
   * @throws ArtifactResolutionException if Maven is not installed or cannot resolve the artifact
   *     (the message gives the command to run by hand)
   */
  public Path resolve(String coordinates) {
    Coordinates c = Coordinates.parse(coordinates);
    Path jar = localRepository.resolve(c.jarPath());
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    List<String> command = fetchCommand(c);
    String byHand = String.join(" ", command);
    LOG.info("{} is not in {}; fetching it with: {}", c, localRepository, byHand);
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new ArtifactResolutionException(
          "backbone artifact "
              + c
              + " is not in the local Maven repository "
              + localRepository
              + " and '"
              + mvnExecutable
              + "' could not be started ("
              + e.getMessage()
              + "). Install Maven and put it on the PATH, or fetch the artifact on a machine that"
              + " has it and copy it to "
              + jar
              + ". Command: "
              + byHand,
          e);
    }
    String output;
    int exit;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      exit = process.waitFor();
    } catch (IOException e) {
      process.destroy();
      throw new ArtifactResolutionException("reading the output of '" + byHand + "' failed", e);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      throw new ArtifactResolutionException("interrupted while running '" + byHand + "'", e);
    }
    if (exit != 0 || !Files.isRegularFile(jar)) {
      throw new ArtifactResolutionException(
          "could not fetch backbone artifact "
              + c
              + " (mvn exit code "
              + exit
              + "). Check that Maven's configured repositories are reachable (settings.xml,"
              + " proxies), then run by hand: "
              + byHand
              + "\nMaven said:\n"
              + tail(output));
    }
    return jar;
  }

  /** The command that fetches one jar into this local repository, without its dependencies. */
  public List<String> fetchCommand(Coordinates c) {
    return List.of(
        mvnExecutable,
        "-q",
        "-B",
        "dependency:get",
        "-Dartifact=" + c,
        "-Dtransitive=false",
        "-D" + REPO_PROPERTY + "=" + localRepository.toAbsolutePath());
  }

  private static String tail(String s) {
    return s.length() <= OUTPUT_TAIL_CHARS
        ? s
        : "..." + s.substring(s.length() - OUTPUT_TAIL_CHARS);
  }
}
