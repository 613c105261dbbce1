package dev.strata.app.stream;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/** A processor's state store for tests on {@link MockProcessorContext}: in memory, no changelog. */
public final class InMemoryStores {
  private InMemoryStores() {}

  /** Creates the store {@code name}, initialised and registered with {@code context}. */
  public static <K, V> KeyValueStore<K, V> in(
      MockProcessorContext<?, ?> context, String name, Serde<K> keys, Serde<V> values) {
    KeyValueStore<K, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), keys, values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }
}
