package dev.strata.app.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.feedback.HeadSwapper.State;
import dev.strata.app.stream.Annotator;
import dev.strata.schemas.avro.HeadRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The swap state machine: verify, load fully, swap atomically; failures keep the serving head. */
class HeadSwapperTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private final FakeSnapshot initial = new FakeSnapshot("bb", Map.of("conll", "v1:aaaa"));
  private final SwappableAnnotator annotator = new SwappableAnnotator(initial);
  private final List<State> states = new ArrayList<>();
  private final HeadSwapper swapper = new HeadSwapper(annotator, states::add);

  private static HeadRecord head(String name, long version, String backbone, byte[] bytes) {
    return HeadRecords.builder(name, version, backbone, T0, bytes).build();
  }

  private static HeadsTopic.Key pointer(String name) {
    return HeadsTopic.parse(name);
  }

  @Test
  void aGoodHeadIsLoadedThenSwappedAndTheOldSnapshotRetired() {
    HeadRecord custom = head("custom", 1, "bb", new byte[] {1, 2, 3});
    assertThat(swapper.offer(pointer("custom"), custom)).isEqualTo(SwapOutcome.SWAPPED);

    assertThat(states).containsExactly(State.VERIFYING, State.LOADING, State.SWAPPING, State.IDLE);
    assertThat(annotator.descriptor().heads())
        .containsEntry("conll", "v1:aaaa")
        .containsEntry("custom", HeadSwapper.versionString(custom));
    assertThat(initial.retired).hasValue(1);
  }

  @Test
  void aRecordWhoseBytesDoNotMatchItsChecksumIsRejected() {
    HeadRecord r = head("custom", 1, "bb", new byte[] {1, 2, 3});
    r.setHeadBytes(ByteBuffer.wrap(new byte[] {1, 2, 4}));
    assertThat(swapper.offer(pointer("custom"), r)).isEqualTo(SwapOutcome.REJECTED_CORRUPT);
    assertThat(states).containsExactly(State.VERIFYING, State.REJECTED, State.IDLE);
    assertThat(annotator.current()).isSameAs(initial);
    assertThat(initial.retired).hasValue(0);
  }

  @Test
  void aHeadOfAnotherBackboneIsRejected() {
    HeadRecord r = head("custom", 1, "other-bb", new byte[] {1});
    assertThat(swapper.offer(pointer("custom"), r)).isEqualTo(SwapOutcome.REJECTED_INCOMPATIBLE);
    assertThat(annotator.current()).isSameAs(initial);
  }

  @Test
  void aHeadFileTheModelRefusesIsRejectedWhileLoading() {
    HeadRecord r = head("custom", 1, "bb", new byte[] {'B', 'A', 'D'});
    assertThat(swapper.offer(pointer("custom"), r)).isEqualTo(SwapOutcome.REJECTED_CORRUPT);
    assertThat(states).containsExactly(State.VERIFYING, State.LOADING, State.REJECTED, State.IDLE);
    assertThat(annotator.current()).isSameAs(initial);
  }

  @Test
  void aRecordFiledUnderAnotherHeadsKeyIsMalformed() {
    HeadRecord r = head("custom", 1, "bb", new byte[] {1});
    assertThat(swapper.offer(pointer("conll"), r)).isEqualTo(SwapOutcome.REJECTED_MALFORMED);
  }

  @Test
  void theServingVersionAgainIsUnchanged() {
    HeadRecord custom = head("custom", 1, "bb", new byte[] {1});
    swapper.offer(pointer("custom"), custom);
    states.clear();
    assertThat(swapper.offer(pointer("custom"), custom)).isEqualTo(SwapOutcome.UNCHANGED);
    assertThat(states).containsExactly(State.VERIFYING, State.IDLE);
  }

  @Test
  void onlyTheAllowedTransitionsExist() {
    assertThat(State.IDLE.canTransitionTo(State.SWAPPING)).isFalse();
    assertThat(State.VERIFYING.canTransitionTo(State.SWAPPING)).isFalse();
    assertThat(State.LOADING.canTransitionTo(State.IDLE)).isFalse();
    assertThat(State.LOADING.canTransitionTo(State.SWAPPING)).isTrue();
  }

  @Test
  void noBatchSeesAHalfLoadedHeadAndTheOldOneLivesUntilItsLastBatchEnds() throws Exception {
    initial.loadGate = new CountDownLatch(1);
    HeadRecord custom = head("custom", 1, "bb", new byte[] {7});
    AtomicReference<SwapOutcome> outcome = new AtomicReference<>();
    Thread watcher = new Thread(() -> outcome.set(swapper.offer(pointer("custom"), custom)));
    watcher.start();
    assertThat(initial.loadStarted.await(10, TimeUnit.SECONDS)).isTrue();

    // While the new head loads, batches keep getting the complete old snapshot.
    Annotator.Lease during = annotator.lease();
    assertThat(during.model()).isSameAs(initial);
    assertThat(during.model().annotate(List.of("a", "b"))).hasSize(2);
    assertThat(during.model().descriptor().heads()).doesNotContainKey("custom");

    initial.loadGate.countDown();
    watcher.join(10_000);
    assertThat(outcome.get()).isEqualTo(SwapOutcome.SWAPPED);

    try (Annotator.Lease after = annotator.lease()) {
      FakeSnapshot next = (FakeSnapshot) after.model();
      assertThat(next.complete).isTrue();
      assertThat(next.descriptor().heads()).containsKey("custom");
    }
    assertThat(initial.retired).as("a batch still uses the old snapshot").hasValue(0);
    during.close();
    assertThat(initial.retired).hasValue(1);
  }

  @Test
  void manyConcurrentBatchesOnlyEverSeeCompleteSnapshots() throws Exception {
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread[] batches = new Thread[2];
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int i = 0; i < batches.length; i++) {
      batches[i] =
          new Thread(
              () -> {
                while (!stop.get()) {
                  try (Annotator.Lease l = annotator.lease()) {
                    FakeSnapshot s = (FakeSnapshot) l.model();
                    if (!s.complete || s.retired.get() > 0) {
                      errors.add(new AssertionError("saw a half-loaded or retired snapshot"));
                    }
                    l.model().annotate(List.of("x"));
                  } catch (Throwable t) {
                    errors.add(t);
                  }
                }
              });
      batches[i].start();
    }
    for (int v = 1; v <= 200; v++) {
      assertThat(
              swapper.offer(pointer("custom"), head("custom", v, "bb", new byte[] {1, (byte) v})))
          .isEqualTo(SwapOutcome.SWAPPED);
    }
    stop.set(true);
    for (Thread t : batches) {
      t.join(10_000);
    }
    assertThat(errors).isEmpty();
    assertThat(annotator.descriptor().heads().get("custom")).startsWith("v200:");
  }
}
