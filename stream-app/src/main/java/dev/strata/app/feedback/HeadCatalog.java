package dev.strata.app.feedback;

import dev.strata.schemas.avro.HeadRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an instance knows of the heads topic: every verified version of every head (without its
 * bytes) and the serving pointer record of each head (with its bytes, for warm starts and
 * rollbacks). Thread-safe: the watcher writes, the retrainer and commands read.
 */
public final class HeadCatalog {
  private final Map<String, TreeMap<Long, HeadRecord>> history = new ConcurrentHashMap<>();
  private final Map<String, HeadRecord> serving = new ConcurrentHashMap<>();

  /** Records a verified history record; its bytes are dropped to save memory. */
  public void addVersion(HeadRecord r) {
    HeadRecord meta = HeadRecord.newBuilder(r).setHeadBytes(ByteBuffer.allocate(0)).build();
    history.compute(
        r.getName(),
        (k, v) -> {
          TreeMap<Long, HeadRecord> m = v == null ? new TreeMap<>() : new TreeMap<>(v);
          m.put(r.getVersion(), meta);
          return m;
        });
  }

  /** Forgets a version whose history record was deleted from the heads topic. */
  public void removeVersion(String name, long version) {
    history.computeIfPresent(
        name,
        (k, v) -> {
          TreeMap<Long, HeadRecord> m = new TreeMap<>(v);
          m.remove(version);
          return m;
        });
  }

  /** Records the verified pointer record of a head (it also counts as a known version). */
  public void setServing(HeadRecord r) {
    serving.put(r.getName(), r);
    if (!history.containsKey(r.getName())
        || !history.get(r.getName()).containsKey(r.getVersion())) {
      addVersion(r);
    }
  }

  /** The pointer record of {@code name}, with its bytes. */
  public Optional<HeadRecord> serving(String name) {
    return Optional.ofNullable(serving.get(name));
  }

  /** Known versions of {@code name}, oldest first, without bytes. */
  public List<HeadRecord> versions(String name) {
    TreeMap<Long, HeadRecord> m = history.get(name);
    return m == null ? List.of() : new ArrayList<>(m.values());
  }

  /** Highest known version of {@code name}, 0 when none. */
  public long latestVersion(String name) {
    TreeMap<Long, HeadRecord> m = history.get(name);
    return m == null || m.isEmpty() ? 0 : m.lastKey();
  }

  /** Every head name seen, sorted. */
  public List<String> names() {
    TreeMap<String, Boolean> names = new TreeMap<>();
    history.keySet().forEach(n -> names.put(n, true));
    serving.keySet().forEach(n -> names.put(n, true));
    return new ArrayList<>(names.keySet());
  }
}
