package dev.strata.app.stream;

/**
 * Where the open micro-batch is kept ({@code batch.store.type}). Both are backed by a changelog
 * topic, so a restarted or migrated task restores the waiting texts either way.
 */
public enum BatchStoreType {
  /** RocksDB on local disk under {@code state.dir}: also survives a restart without a restore. */
  ROCKSDB,
  /**
   * On the heap only (it holds at most {@code batch.max.records} texts), restored from the
   * changelog after a restart: no disk writes or RocksDB flushes on the processing path.
   */
  IN_MEMORY
}
