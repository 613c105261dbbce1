package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamsHealthTest {

  @ParameterizedTest(name = "{0}, failed={1}, model loaded={2}: live={3} ready={4}")
  @CsvSource({
    "CREATED,          false, true,  true,  false",
    "REBALANCING,      false, true,  true,  false",
    "RUNNING,          false, true,  true,  true",
    "RUNNING,          false, false, true,  false",
    "PENDING_SHUTDOWN, false, true,  true,  false",
    "NOT_RUNNING,      false, true,  true,  false",
    "PENDING_SHUTDOWN, true,  true,  false, false",
    "NOT_RUNNING,      true,  true,  false, false",
    "PENDING_ERROR,    false, true,  false, false",
    "ERROR,            false, true,  false, false",
    "RUNNING,          true,  true,  false, false",
  })
  void liveUnlessFailedReadyOnlyWhenRunningWithTheModel(
      State state, boolean failed, boolean modelLoaded, boolean live, boolean ready) {
    StreamsHealth health = new StreamsHealth(() -> state, () -> failed, () -> modelLoaded);

    assertThat(health.live()).isEqualTo(live);
    assertThat(health.ready()).isEqualTo(ready);
  }

  @Test
  void readsTheStateOnEveryProbe() {
    State[] now = {State.REBALANCING};
    StreamsHealth health = new StreamsHealth(() -> now[0], () -> false, () -> true);
    assertThat(health.ready()).isFalse();

    now[0] = State.RUNNING;

    assertThat(health.ready()).isTrue();
  }
}
