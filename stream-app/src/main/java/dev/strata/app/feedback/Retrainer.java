package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retrains heads off the stream threads, on one background thread. Every {@code retrain.check.ms}
 * it looks at the heads whose feedback store is local and active ({@link
 * FeedbackSource#localHeads()}: one instance per head), asks the {@link RetrainTrigger}, and for a
 * firing head reads its examples, calls the {@link HeadRefiner}, logs and counts the decision, and
 * publishes an accepted candidate as the next version (after checking that it still owns the head).
 *
 * <p>"New examples" are those with a store sequence number above the one of the last training. On
 * the first sight of a head (start-up, or after taking it over in a rebalance) that baseline is the
 * serving version's {@code feedback_seq} and the last training time its {@code created_time}; a
 * head never published starts with every example new and the clock at first sight.
 */
public final class Retrainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Retrainer.class);

  private final FeedbackSource source;
  private final HeadCatalog catalog;
  private final HeadRefiner refiner;
  private final Consumer<HeadRecord> publisher;
  private final RetrainTrigger trigger;
  private final Clock clock;
  private final FeedbackMetrics metrics;
  private final BooleanSupplier ready;
  private final Map<String, HeadState> heads = new HashMap<>();
  private ScheduledExecutorService executor;

  private static final class HeadState {
    long baselineSeq;
    Instant lastTraining;
    boolean lastFailed;

    HeadState(long baselineSeq, Instant lastTraining) {
      this.baselineSeq = baselineSeq;
      this.lastTraining = lastTraining;
    }
  }

  private Retrainer(Builder b) {
    this.source = b.source;
    this.catalog = b.catalog;
    this.refiner = b.refiner;
    this.publisher = b.publisher;
    this.trigger = b.trigger;
    this.clock = b.clock;
    this.metrics = b.metrics;
    this.ready = b.ready;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts checking every {@code period} on a daemon thread named {@code strata-retrainer}. */
  public synchronized void start(Duration period) {
    if (executor != null) {
      throw new IllegalStateException("retrainer already started");
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "strata-retrainer");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            checkOnce();
          } catch (RuntimeException e) {
            LOG.error("Retrainer check failed; trying again in {}: {}", period, e.toString(), e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One round over the locally owned heads (in name order); returns what was decided per head that
   * fired.
   */
  public Map<String, RetrainDecision> checkOnce() {
    Map<String, RetrainDecision> decided = new TreeMap<>();
    if (!ready.getAsBoolean()) {
      LOG.debug("Not retraining yet: the heads topic has not been read to its end");
      return decided;
    }
    Instant now = clock.instant();
    Map<String, long[]> queried = source.localHeads();
    if (queried == null) {
      // The store is not queryable right now (rebalancing): keep what we know of every head
      // rather than forget it and retrain on the same examples once the store is back.
      LOG.debug("Not retraining now: the feedback store is not queryable");
      return decided;
    }
    Map<String, long[]> local = new TreeMap<>(queried);
    heads.keySet().retainAll(local.keySet());
    for (Map.Entry<String, long[]> e : local.entrySet()) {
      String head = e.getKey();
      HeadState state = heads.computeIfAbsent(head, h -> firstSight(h, now));
      long[] seqs = e.getValue();
      int fresh = 0;
      long maxSeq = state.baselineSeq;
      for (long s : seqs) {
        if (s > state.baselineSeq) {
          fresh++;
        }
        maxSeq = Math.max(maxSeq, s);
      }
      RetrainTrigger.Reason reason = trigger.check(fresh, state.lastTraining, now);
      if (!reason.fires()) {
        continue;
      }
      if (state.lastFailed
          && Duration.between(state.lastTraining, now).compareTo(trigger.interval()) < 0) {
        continue; // the last attempt failed: retry the same examples once T has passed
      }
      LOG.info(
          "Retraining head {}: {} ({} new of {} stored examples, last training {})",
          head,
          reason,
          fresh,
          seqs.length,
          state.lastTraining);
      RetrainDecision decision = train(head, maxSeq);
      decided.put(head, decision);
      // A failed attempt (the refiner threw, or publishing failed) keeps its examples counted
      // as new, so they are tried again after retrain.interval.ms instead of waiting for more.
      state.lastFailed = decision == RetrainDecision.FAILED;
      if (!state.lastFailed) {
        state.baselineSeq = maxSeq;
      }
      state.lastTraining = clock.instant();
    }
    return decided;
  }

  private HeadState firstSight(String head, Instant now) {
    return catalog
        .serving(head)
        .map(
            r ->
                new HeadState(
                    r.getFeedbackSeq() == null ? -1 : r.getFeedbackSeq(), r.getCreatedTime()))
        .orElse(new HeadState(-1, now));
  }

  private RetrainDecision train(String head, long maxSeq) {
    HeadRecord serving = catalog.serving(head).orElse(null);
    List<FeedbackRecord> examples = source.examples(head);
    long start = System.nanoTime();
    HeadRefiner.Result result;
    try {
      result = refiner.refine(new HeadRefiner.Job(head, serving, examples));
    } catch (RuntimeException e) {
      LOG.error("Retraining head {} failed: {}", head, e.toString(), e);
      result = HeadRefiner.Result.rejected(RetrainDecision.FAILED, e.toString());
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;
    RetrainDecision decision = result.decision();
    HeadRecord published = null;
    if (decision == RetrainDecision.ACCEPTED) {
      if (!source.owns(head)) {
        decision = RetrainDecision.DROPPED_NOT_OWNER;
      } else {
        long version = catalog.latestVersion(head) + 1;
        published =
            HeadRecords.builder(
                    head, version, result.backbone(), clock.instant(), result.candidate())
                .setParentVersion(serving == null ? null : serving.getVersion())
                .setFeedbackSeq(maxSeq)
                .setFeedbackExamples(examples.size())
                .setCandidateF1(result.candidateF1())
                .setServingF1(result.servingF1())
                .build();
        try {
          publisher.accept(published);
          catalog.addVersion(published);
        } catch (RuntimeException e) {
          LOG.error("Publishing head {} failed: {}", HeadRecords.describe(published), e.toString());
          decision = RetrainDecision.FAILED;
          published = null;
        }
      }
    }
    LOG.info(
        "Head {}: {} in {} ms; candidate F1 {}, serving F1 {} (v{}); {} examples ({} trained, {}"
            + " held out){}{}",
        head,
        decision,
        elapsedMs,
        f1(result.candidateF1()),
        f1(result.servingF1()),
        serving == null ? "-" : serving.getVersion(),
        examples.size(),
        result.trainExamples(),
        result.holdoutExamples(),
        published == null ? "" : "; published " + HeadRecords.describe(published),
        result.detail() == null ? "" : "; " + result.detail());
    metrics.retrain(head, decision.name(), elapsedMs);
    return decision;
  }

  private static String f1(Double f) {
    return f == null ? "-" : String.format("%.4f", f);
  }

  /** Asks the retrainer to stop (interrupting its thread) without waiting for it. */
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /**
   * Waits until the retrainer's thread ended, at most {@code timeout}.
   *
   * @return whether it ended (a refinement does not notice interrupts, so it may run on)
   */
  public boolean awaitStopped(Duration timeout) {
    ScheduledExecutorService e;
    synchronized (this) {
      e = executor;
    }
    if (e == null) {
      return true;
    }
    try {
      return e.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    stop();
    if (!awaitStopped(Duration.ofSeconds(30))) {
      LOG.warn("The retrainer did not stop within 30 s");
    }
  }

  /** Builder; every {@code set} is required, {@code opt} optional. */
  public static final class Builder {
    private FeedbackSource source;
    private HeadCatalog catalog;
    private HeadRefiner refiner;
    private Consumer<HeadRecord> publisher;
    private RetrainTrigger trigger;
    private Clock clock = Clock.systemUTC();
    private FeedbackMetrics metrics = FeedbackMetrics.NONE;
    private BooleanSupplier ready = () -> true;

    public Builder setSource(FeedbackSource source) {
      this.source = source;
      return this;
    }

    public Builder setCatalog(HeadCatalog catalog) {
      this.catalog = catalog;
      return this;
    }

    public Builder setRefiner(HeadRefiner refiner) {
      this.refiner = refiner;
      return this;
    }

    /** Where accepted heads go ({@link HeadPublisher#publish} in the application). */
    public Builder setPublisher(Consumer<HeadRecord> publisher) {
      this.publisher = publisher;
      return this;
    }

    public Builder setTrigger(RetrainTrigger trigger) {
      this.trigger = trigger;
      return this;
    }

    public Builder optClock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    public Builder optMetrics(FeedbackMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * When checks may train: the application passes {@link HeadsWatcher#upToDate()}, so no head is
     * trained (and numbered) before the published versions are known. Default: always.
     */
    public Builder optReady(BooleanSupplier ready) {
      this.ready = requireNonNull(ready, "ready");
      return this;
    }

    public Retrainer build() {
      requireSet(source, "source");
      requireSet(catalog, "catalog");
      requireSet(refiner, "refiner");
      requireSet(publisher, "publisher");
      requireSet(trigger, "trigger");
      return new Retrainer(this);
    }

    private static void requireSet(Object o, String name) {
      if (o == null) {
        throw new IllegalArgumentException("Retrainer." + name + " is not set");
      }
    }
  }
}
