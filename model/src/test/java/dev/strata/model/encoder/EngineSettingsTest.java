package dev.strata.model.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing of the {@code --device} setting. */
class EngineSettingsTest {
  @ParameterizedTest
  @ValueSource(strings = {"gpu:x", "gpu:", "gpu:-1", "tpu", "cuda:0", ""})
  void aMalformedDeviceNamesTheAllowedForms(String setting) {
    assertThatThrownBy(() -> EngineSettings.device(setting))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown device '" + setting + "'; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", " CPU "})
  void cpuIsTheCpu(String setting) {
    assertThat(EngineSettings.device(setting)).isEqualTo(Device.cpu());
  }

  @Test
  void aGpuTheEngineDoesNotSeeIsRefusedWithTheFix() {
    assertThatThrownBy(() -> EngineSettings.device("gpu:99"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GPU(s); use --device cpu or auto")
        .hasMessageContaining("section GPU");
  }
}
