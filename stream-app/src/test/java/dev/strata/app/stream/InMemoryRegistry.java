package dev.strata.app.stream;

import dev.strata.schemas.registry.InMemorySchemaRegistry;
import dev.strata.schemas.registry.SchemaRegistryClient;
import java.io.IOException;

/**
 * The few Confluent registry endpoints the serde uses, in memory on 127.0.0.1 and an ephemeral port
 * ({@link InMemorySchemaRegistry}). No compatibility rules: tests here are about the topology.
 */
public final class InMemoryRegistry implements AutoCloseable {
  private final InMemorySchemaRegistry registry;

  public InMemoryRegistry() throws IOException {
    registry = InMemorySchemaRegistry.start();
  }

  public String url() {
    return registry.url();
  }

  public SchemaRegistryClient client() {
    return registry.client();
  }

  @Override
  public void close() {
    registry.close();
  }
}
