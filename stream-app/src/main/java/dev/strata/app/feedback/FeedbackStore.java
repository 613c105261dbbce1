package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.FeedbackMetrics.StoreOutcome;
import dev.strata.schemas.avro.FeedbackRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps valid feedback, keyed by head and example id, in a persistent changelogged store. Input is
 * keyed by head name (after the repartition), so one task owns all feedback of a head.
 *
 * <ul>
 *   <li><b>Newest wins per id:</b> a record replaces the stored one of the same head and id unless
 *       its {@code event_time} is older (then it is ignored as STALE); equal times: the later
 *       arrival wins.
 *   <li><b>Bound per head:</b> beyond {@code feedback.max.per.head} examples the one written
 *       longest ago (lowest sequence number; a replaced id counts as newly written) is evicted.
 * </ul>
 *
 * <p>The eviction order is an in-memory index rebuilt from the store in {@link #init}, so a
 * restored or migrated task evicts exactly as the old owner would have.
 */
final class FeedbackStore implements Processor<String, FeedbackRecord, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackStore.class);

  private final String storeName;
  private final int maxPerHead;
  private final FeedbackMetrics metrics;
  private KeyValueStore<String, StoredFeedback> store;
  private final Map<String, TreeMap<Long, String>> bySeq = new HashMap<>();
  private long nextSeq;

  FeedbackStore(String storeName, int maxPerHead, FeedbackMetrics metrics) {
    this.storeName = requireNonNull(storeName, "storeName");
    this.maxPerHead = maxPerHead;
    this.metrics = requireNonNull(metrics, "metrics");
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
    bySeq.clear(); // a revived task may initialise the same processor again
    int n = 0;
    try (KeyValueIterator<String, StoredFeedback> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<String, StoredFeedback> kv = it.next();
        index(FeedbackKeys.head(kv.key)).put(kv.value.seq(), kv.value.record().getId());
        nextSeq = Math.max(nextSeq, kv.value.seq() + 1);
        n++;
      }
    }
    if (n > 0) {
      LOG.info(
          "Task {}: {} feedback examples of {} heads restored", context.taskId(), n, bySeq.size());
    }
  }

  @Override
  public void process(Record<String, FeedbackRecord> record) {
    FeedbackRecord r = record.value();
    String head = r.getHead();
    String key = FeedbackKeys.key(head, r.getId());
    StoredFeedback old = store.get(key);
    TreeMap<Long, String> index = index(head);
    if (old != null) {
      if (old.record().getEventTime().isAfter(r.getEventTime())) {
        LOG.debug("Feedback {} of head {} is older than the stored one; ignored", r.getId(), head);
        metrics.stored(head, StoreOutcome.STALE);
        return;
      }
      index.remove(old.seq());
    }
    long seq = nextSeq++;
    store.put(key, new StoredFeedback(seq, r));
    index.put(seq, r.getId());
    metrics.stored(head, old == null ? StoreOutcome.STORED : StoreOutcome.REPLACED);
    while (index.size() > maxPerHead) {
      Map.Entry<Long, String> oldest = index.pollFirstEntry();
      store.delete(FeedbackKeys.key(head, oldest.getValue()));
      metrics.stored(head, StoreOutcome.EVICTED);
      LOG.debug("Head {} holds {} examples; evicted {}", head, maxPerHead, oldest.getValue());
    }
  }

  private TreeMap<Long, String> index(String head) {
    return bySeq.computeIfAbsent(head, h -> new TreeMap<>());
  }
}
