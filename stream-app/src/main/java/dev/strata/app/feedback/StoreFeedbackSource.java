package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.FeedbackRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FeedbackSource} over interactive queries. {@code streams.store(...)} without {@code
 * enableStaleStores()} answers from the <b>active</b> local tasks only, so a head appears here on
 * exactly one instance: the one whose task owns the head's partition of the repartition topic
 * (standbys and restoring tasks are not queried). {@link #owns} asks the same question for one head
 * again: whether the local active store still holds its examples. It needs no {@code
 * application.server} (unlike {@code queryMetadataForKey}).
 */
public final class StoreFeedbackSource implements FeedbackSource {
  private static final Logger LOG = LoggerFactory.getLogger(StoreFeedbackSource.class);
  private static final StringSerializer KEYS = new StringSerializer();

  private final KafkaStreams streams;

  public StoreFeedbackSource(KafkaStreams streams) {
    this.streams = requireNonNull(streams, "streams");
  }

  private ReadOnlyKeyValueStore<String, StoredFeedback> store() {
    return streams.store(
        StoreQueryParameters.fromNameAndType(
            FeedbackTopology.STORE, QueryableStoreTypes.keyValueStore()));
  }

  @Override
  public Map<String, long[]> localHeads() {
    Map<String, List<Long>> seqs = new HashMap<>();
    try (KeyValueIterator<String, StoredFeedback> it = store().all()) {
      while (it.hasNext()) {
        KeyValue<String, StoredFeedback> kv = it.next();
        seqs.computeIfAbsent(FeedbackKeys.head(kv.key), h -> new ArrayList<>()).add(kv.value.seq());
      }
    } catch (InvalidStateStoreException | IllegalStateException e) {
      LOG.debug("Feedback store not queryable now (rebalancing?): {}", e.getMessage());
      return null;
    }
    Map<String, long[]> out = new HashMap<>();
    seqs.forEach((h, l) -> out.put(h, l.stream().mapToLong(Long::longValue).toArray()));
    return out;
  }

  @Override
  public List<FeedbackRecord> examples(String head) {
    List<FeedbackRecord> out = new ArrayList<>();
    try (KeyValueIterator<String, StoredFeedback> it =
        store().prefixScan(FeedbackKeys.prefix(head), KEYS)) {
      while (it.hasNext()) {
        out.add(it.next().value.record());
      }
    } catch (InvalidStateStoreException | IllegalStateException e) {
      LOG.debug("Feedback store not queryable now (rebalancing?): {}", e.getMessage());
      return List.of();
    }
    return out;
  }

  @Override
  public boolean owns(String head) {
    try (KeyValueIterator<String, StoredFeedback> it =
        store().prefixScan(FeedbackKeys.prefix(head), KEYS)) {
      return it.hasNext();
    } catch (InvalidStateStoreException | IllegalStateException e) {
      return false;
    }
  }
}
