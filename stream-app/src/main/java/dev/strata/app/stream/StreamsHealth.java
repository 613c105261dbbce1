package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.metrics.Health;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Liveness and readiness of the running application, from the Kafka Streams state, whether a stream
 * thread failed fatally, and whether the model is loaded.
 *
 * <ul>
 *   <li><b>live</b> unless a fatal failure was seen or Kafka Streams is in {@code PENDING_ERROR} or
 *       {@code ERROR}: a clean shutdown ({@code PENDING_SHUTDOWN}, {@code NOT_RUNNING} without a
 *       failure) and a rebalance stay live, so an orchestrator restarts the process only when it
 *       cannot recover by itself.
 *   <li><b>ready</b> when live, {@code RUNNING} (not rebalancing or starting) and the model loaded.
 * </ul>
 */
public final class StreamsHealth implements Health {
  private final Supplier<KafkaStreams.State> state;
  private final BooleanSupplier failed;
  private final BooleanSupplier modelLoaded;

  /**
   * @param state the client's current state
   * @param failed whether a stream thread stopped the client after a fatal error
   * @param modelLoaded whether the annotator can infer now
   */
  public StreamsHealth(
      Supplier<KafkaStreams.State> state, BooleanSupplier failed, BooleanSupplier modelLoaded) {
    this.state = requireNonNull(state, "state");
    this.failed = requireNonNull(failed, "failed");
    this.modelLoaded = requireNonNull(modelLoaded, "modelLoaded");
  }

  @Override
  public boolean live() {
    return live(state.get());
  }

  @Override
  public boolean ready() {
    KafkaStreams.State s = state.get();
    return live(s) && s == KafkaStreams.State.RUNNING && modelLoaded.getAsBoolean();
  }

  private boolean live(KafkaStreams.State s) {
    return !failed.getAsBoolean()
        && s != KafkaStreams.State.ERROR
        && s != KafkaStreams.State.PENDING_ERROR;
  }
}
