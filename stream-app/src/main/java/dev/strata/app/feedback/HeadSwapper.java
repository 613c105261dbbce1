package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.HeadRecord;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers a head record to the serving model, as a small explicit state machine:
 *
 * <pre>
 * IDLE → VERIFYING (checksum, key, backbone) → LOADING (fully, off the stream threads)
 *      → SWAPPING (one atomic reference write) → IDLE
 * any failure → REJECTED → IDLE, the serving snapshot untouched
 * </pre>
 *
 * <p>Not thread-safe: one {@link HeadsWatcher} thread drives it.
 */
public final class HeadSwapper {
  private static final Logger LOG = LoggerFactory.getLogger(HeadSwapper.class);

  /** States of one offer. */
  public enum State {
    IDLE,
    VERIFYING,
    LOADING,
    SWAPPING,
    REJECTED;

    private static final Map<State, Set<State>> NEXT =
        Map.of(
            IDLE, EnumSet.of(VERIFYING),
            VERIFYING, EnumSet.of(LOADING, REJECTED, IDLE),
            LOADING, EnumSet.of(SWAPPING, REJECTED),
            SWAPPING, EnumSet.of(IDLE),
            REJECTED, EnumSet.of(IDLE));

    /** Whether this state may be followed by {@code next}. */
    public boolean canTransitionTo(State next) {
      return NEXT.get(this).contains(next);
    }
  }

  private final SwappableAnnotator target;
  private final Consumer<State> listener;
  private State state = State.IDLE;

  /**
   * @param target the annotator whose snapshot is replaced
   * @param listener told of every state entered (tests, debugging)
   */
  public HeadSwapper(SwappableAnnotator target, Consumer<State> listener) {
    this.target = requireNonNull(target, "target");
    this.listener = requireNonNull(listener, "listener");
  }

  public HeadSwapper(SwappableAnnotator target) {
    this(target, s -> {});
  }

  public State state() {
    return state;
  }

  /** Verifies, loads and swaps in {@code record} read under pointer key {@code key}. */
  public SwapOutcome offer(HeadsTopic.Key key, HeadRecord record) {
    requireNonNull(key, "key");
    requireNonNull(record, "record");
    enter(State.VERIFYING);
    ServingSnapshot next;
    try {
      HeadRecords.verify(key, record);
      ServingSnapshot serving = target.current();
      if (!serving.backbone().equals(record.getBackbone())) {
        throw new HeadRecordException(
            SwapOutcome.REJECTED_INCOMPATIBLE,
            HeadRecords.describe(record)
                + " was trained on backbone '"
                + record.getBackbone()
                + "' but this instance serves '"
                + serving.backbone()
                + "'; retrain it on '"
                + serving.backbone()
                + "' or run instances of that backbone");
      }
      String servingVersion = serving.descriptor().heads().get(record.getName());
      if (versionString(record).equals(servingVersion)) {
        enter(State.IDLE);
        return SwapOutcome.UNCHANGED;
      }
      enter(State.LOADING);
      next = serving.withHead(record);
    } catch (HeadRecordException e) {
      return reject(record, e.outcome(), e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) {
      // A head too large for the heap is refused like any head that does not load.
      return reject(record, SwapOutcome.REJECTED_LOAD_FAILED, e.toString());
    }
    enter(State.SWAPPING);
    target.swap(next);
    enter(State.IDLE);
    LOG.info("Head {} serves now", HeadRecords.describe(record));
    return SwapOutcome.SWAPPED;
  }

  /** How a head version appears in output records' {@code model.heads}: {@code v3:1a2b3c4d5e6f}. */
  public static String versionString(HeadRecord r) {
    String sha = r.getSha256();
    return "v" + r.getVersion() + ":" + sha.substring(0, Math.min(12, sha.length()));
  }

  private SwapOutcome reject(HeadRecord record, SwapOutcome outcome, String why) {
    enter(State.REJECTED);
    LOG.warn(
        "Rejected head record {}: {}: {}; the serving head stays",
        HeadRecords.describe(record),
        outcome,
        why);
    enter(State.IDLE);
    return outcome;
  }

  private void enter(State next) {
    if (!state.canTransitionTo(next)) {
      throw new IllegalStateException("head swap cannot go from " + state + " to " + next);
    }
    state = next;
    listener.accept(next);
  }
}
