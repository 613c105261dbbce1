package dev.strata.app.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.app.feedback.RetrainTrigger.Reason;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The trigger (N new examples or T elapsed) and the retrainer's decisions, with a fake clock. */
class RetrainerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** A clock the test moves by hand. */
  static final class FakeClock extends Clock {
    Instant now = T0;

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  /** Feedback "stores" in memory: head → seqs; ownership can be withdrawn. */
  static final class FakeSource implements FeedbackSource {
    final Map<String, List<Long>> seqs = new HashMap<>();
    final Map<String, Boolean> owned = new HashMap<>();
    long next;

    void add(String head, int n) {
      for (int i = 0; i < n; i++) {
        seqs.computeIfAbsent(head, h -> new ArrayList<>()).add(next++);
      }
      owned.putIfAbsent(head, true);
    }

    boolean queryable = true;

    @Override
    public Map<String, long[]> localHeads() {
      if (!queryable) {
        return null;
      }
      Map<String, long[]> out = new HashMap<>();
      seqs.forEach(
          (h, l) -> {
            if (owned.get(h)) {
              out.put(h, l.stream().mapToLong(Long::longValue).toArray());
            }
          });
      return out;
    }

    @Override
    public List<FeedbackRecord> examples(String head) {
      List<FeedbackRecord> out = new ArrayList<>();
      for (long s : seqs.get(head)) {
        out.add(
            FeedbackRecord.newBuilder()
                .setId("id" + s)
                .setHead(head)
                .setText("x")
                .setClassLabel("A")
                .setSource("t")
                .setEventTime(T0)
                .build());
      }
      return out;
    }

    @Override
    public boolean owns(String head) {
      return owned.getOrDefault(head, false);
    }
  }

  private final FakeClock clock = new FakeClock();
  private final FakeSource source = new FakeSource();
  private final HeadCatalog catalog = new HeadCatalog();
  private final List<HeadRecord> published = new ArrayList<>();
  private final List<HeadRefiner.Job> jobs = new ArrayList<>();
  private final List<String> decisions = new ArrayList<>();
  private RetrainDecision nextDecision = RetrainDecision.ACCEPTED;

  private Retrainer retrainer(int n, Duration t) {
    return retrainer(n, t, () -> true);
  }

  private Retrainer retrainer(int n, Duration t, BooleanSupplier ready) {
    return Retrainer.builder()
        .optReady(ready)
        .setSource(source)
        .setCatalog(catalog)
        .setRefiner(
            job -> {
              jobs.add(job);
              clock.advance(Duration.ofSeconds(30));
              if (nextDecision == RetrainDecision.FAILED) {
                throw new IllegalStateException("boom");
              }
              return nextDecision == RetrainDecision.ACCEPTED
                  ? new HeadRefiner.Result(
                      RetrainDecision.ACCEPTED,
                      new byte[] {1, 2, (byte) jobs.size()},
                      "bb",
                      0.9,
                      0.8,
                      8,
                      2,
                      null)
                  : HeadRefiner.Result.rejected(nextDecision, "worse");
            })
        .setPublisher(published::add)
        .setTrigger(new RetrainTrigger(n, t))
        .optClock(clock)
        .optMetrics(
            new FeedbackMetrics() {
              @Override
              public void retrain(String head, String decision, long elapsedMs) {
                decisions.add(head + " " + decision);
              }
            })
        .build();
  }

  @Test
  void triggerFiresOnNNewExamplesOrOnTWithAtLeastOne() {
    RetrainTrigger t = new RetrainTrigger(5, Duration.ofMinutes(10));
    assertThat(t.check(0, T0, T0.plus(Duration.ofDays(1)))).isEqualTo(Reason.NO_NEW_EXAMPLES);
    assertThat(t.check(4, T0, T0.plusSeconds(599))).isEqualTo(Reason.WAITING);
    assertThat(t.check(5, T0, T0)).isEqualTo(Reason.ENOUGH_NEW_EXAMPLES);
    assertThat(t.check(1, T0, T0.plusSeconds(600))).isEqualTo(Reason.INTERVAL_ELAPSED);
    assertThatThrownBy(() -> new RetrainTrigger(0, Duration.ofMinutes(1)))
        .hasMessageContaining("minNewExamples");
  }

  @Test
  void nothingIsTrainedBeforeThePublishedVersionsAreKnown() {
    AtomicBoolean ready = new AtomicBoolean(false);
    Retrainer r = retrainer(3, Duration.ofMinutes(10), ready::get);
    source.add("custom", 3);
    assertThat(r.checkOnce()).isEmpty();
    assertThat(jobs).isEmpty();
    ready.set(true);
    assertThat(r.checkOnce()).containsEntry("custom", RetrainDecision.ACCEPTED);
  }

  @Test
  void trainsAfterNNewExamplesAndPublishesTheNextVersion() {
    Retrainer r = retrainer(3, Duration.ofMinutes(10));
    source.add("custom", 2);
    assertThat(r.checkOnce()).isEmpty();
    source.add("custom", 1);

    assertThat(r.checkOnce()).containsEntry("custom", RetrainDecision.ACCEPTED);
    assertThat(jobs).hasSize(1);
    assertThat(jobs.get(0).serving()).isNull();
    assertThat(jobs.get(0).examples()).hasSize(3);
    assertThat(published).hasSize(1);
    HeadRecord v1 = published.get(0);
    assertThat(v1.getVersion()).isEqualTo(1);
    assertThat(v1.getParentVersion()).isNull();
    assertThat(v1.getFeedbackSeq()).isEqualTo(2);
    assertThat(v1.getSha256()).isEqualTo(HeadRecords.sha256(new byte[] {1, 2, 1}));
    assertThat(v1.getCandidateF1()).isEqualTo(0.9);

    assertThat(r.checkOnce()).as("nothing new since").isEmpty();
    catalog.setServing(v1);
    source.add("custom", 3);
    assertThat(r.checkOnce()).containsEntry("custom", RetrainDecision.ACCEPTED);
    assertThat(jobs.get(1).serving()).isEqualTo(v1);
    assertThat(published.get(1).getVersion()).isEqualTo(2);
    assertThat(published.get(1).getParentVersion()).isEqualTo(1);
    assertThat(decisions).containsExactly("custom ACCEPTED", "custom ACCEPTED");
  }

  @Test
  void trainsAfterTWhenFewerThanNArrived() {
    Retrainer r = retrainer(100, Duration.ofMinutes(10));
    source.add("custom", 1);
    assertThat(r.checkOnce()).isEmpty();
    clock.advance(Duration.ofMinutes(9));
    assertThat(r.checkOnce()).isEmpty();
    clock.advance(Duration.ofMinutes(1));
    assertThat(r.checkOnce()).containsEntry("custom", RetrainDecision.ACCEPTED);
    clock.advance(Duration.ofMinutes(30));
    assertThat(r.checkOnce()).as("T passed but nothing new").isEmpty();
  }

  @Test
  void rejectedAndFailedCandidatesAreCountedAndNotPublished() {
    Retrainer r = retrainer(1, Duration.ofMinutes(10));
    nextDecision = RetrainDecision.REJECTED_WORSE;
    source.add("a", 1);
    assertThat(r.checkOnce()).containsEntry("a", RetrainDecision.REJECTED_WORSE);
    nextDecision = RetrainDecision.FAILED;
    source.add("a", 1);
    assertThat(r.checkOnce()).containsEntry("a", RetrainDecision.FAILED);
    assertThat(published).isEmpty();
    assertThat(decisions).containsExactly("a REJECTED_WORSE", "a FAILED");
  }

  @Test
  void aFailedAttemptIsRetriedAfterTWithoutNewExamples() {
    Retrainer r = retrainer(1, Duration.ofMinutes(10));
    nextDecision = RetrainDecision.FAILED;
    source.add("a", 1);
    assertThat(r.checkOnce()).containsEntry("a", RetrainDecision.FAILED);
    clock.advance(Duration.ofMinutes(1));
    assertThat(r.checkOnce()).as("no retry before T").isEmpty();
    nextDecision = RetrainDecision.ACCEPTED;
    clock.advance(Duration.ofMinutes(10));
    assertThat(r.checkOnce())
        .as("same examples retried after T")
        .containsEntry("a", RetrainDecision.ACCEPTED);
    assertThat(published).hasSize(1);
    clock.advance(Duration.ofMinutes(30));
    assertThat(r.checkOnce()).as("accepted: nothing new").isEmpty();
  }

  @Test
  void anUnqueryableStoreDoesNotForgetTheHeads() {
    Retrainer r = retrainer(1, Duration.ofMinutes(10));
    nextDecision = RetrainDecision.REJECTED_WORSE;
    source.add("a", 1);
    assertThat(r.checkOnce()).containsEntry("a", RetrainDecision.REJECTED_WORSE);
    source.queryable = false; // a rebalance
    assertThat(r.checkOnce()).isEmpty();
    source.queryable = true;
    clock.advance(Duration.ofMinutes(30));
    assertThat(r.checkOnce())
        .as("the rejected examples are not retrained after a rebalance")
        .isEmpty();
    assertThat(jobs).hasSize(1);
  }

  @Test
  void onlyLocallyOwnedHeadsAreTrainedAndLosingOwnershipDropsTheCandidate() {
    Retrainer r = retrainer(1, Duration.ofMinutes(10));
    source.add("mine", 1);
    source.add("theirs", 1);
    source.owned.put("theirs", false);
    assertThat(r.checkOnce()).containsOnlyKeys("mine");

    source.add("mine", 1);
    Retrainer r2 =
        Retrainer.builder()
            .setSource(source)
            .setCatalog(catalog)
            .setRefiner(
                job -> {
                  source.owned.put("mine", false); // a rebalance moves the head away mid-training
                  return new HeadRefiner.Result(
                      RetrainDecision.ACCEPTED, new byte[] {9}, "bb", 1.0, null, 1, 1, null);
                })
            .setPublisher(published::add)
            .setTrigger(new RetrainTrigger(1, Duration.ofMinutes(10)))
            .optClock(clock)
            .build();
    published.clear();
    source.owned.put("mine", true);
    assertThat(r2.checkOnce()).containsEntry("mine", RetrainDecision.DROPPED_NOT_OWNER);
    assertThat(published).isEmpty();
  }

  @Test
  void aNewOwnerCountsNewExamplesFromTheServingVersionsFeedbackSeq() {
    source.add("custom", 5); // seqs 0..4
    catalog.setServing(
        HeadRecords.builder("custom", 4, "bb", clock.instant(), new byte[] {1})
            .setFeedbackSeq(3L)
            .build());
    Retrainer r = retrainer(2, Duration.ofMinutes(10));
    assertThat(r.checkOnce()).as("only seq 4 is new").isEmpty();
    source.add("custom", 1);
    assertThat(r.checkOnce()).containsEntry("custom", RetrainDecision.ACCEPTED);
    assertThat(published.get(0).getVersion()).isEqualTo(5);
  }

  @Test
  void theBuilderNamesAMissingPart() {
    assertThatThrownBy(() -> Retrainer.builder().setSource(source).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("catalog");
  }
}
