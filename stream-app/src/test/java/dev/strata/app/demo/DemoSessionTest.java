package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Builder validation and the stop request; the session itself needs a broker (run by hand). */
class DemoSessionTest {
  private static DemoSession.Builder complete() {
    return DemoSession.builder()
        .setModel(Path.of("m.strata"))
        .setTexts(List.of("a"))
        .setOut(new PrintStream(new ByteArrayOutputStream()))
        .setStateParent(Path.of("state"))
        .optEndpoints(new LocalInfra.Endpoints("h:1", "http://h:2"));
  }

  @Test
  void aCompleteBuilderBuilds() {
    assertThat(complete().build()).isNotNull();
  }

  @Test
  void buildNamesTheMissingOrBadField() {
    assertThatThrownBy(() -> complete().setModel(null).build()).hasMessageContaining("model");
    assertThatThrownBy(() -> complete().setTexts(List.of()).build()).hasMessageContaining("texts");
    assertThatThrownBy(() -> complete().optInterval(Duration.ZERO).build())
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> complete().setStateParent(null).build())
        .hasMessageContaining("stateParent");
    assertThatThrownBy(() -> complete().optEndpoints(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly one of infra and endpoints");
  }

  @Test
  void aStopRequestRunsEachListenerOnceEvenWhenAddedLate() throws Exception {
    StopRequest stop = StopRequest.manual(new PrintStream(new ByteArrayOutputStream()));
    AtomicInteger early = new AtomicInteger();
    stop.onRequest(early::incrementAndGet);
    assertThat(stop.isRequested()).isFalse();
    assertThat(stop.await(1)).isFalse();
    stop.request();
    stop.request();
    AtomicInteger late = new AtomicInteger();
    stop.onRequest(late::incrementAndGet);
    assertThat(stop.isRequested()).isTrue();
    assertThat(stop.await(1)).isTrue();
    assertThat(early).hasValue(1);
    assertThat(late).hasValue(1);
  }
}
