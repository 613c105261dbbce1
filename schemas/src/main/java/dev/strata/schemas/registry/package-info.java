/**
 * A small client for the Confluent Schema Registry REST API ({@code /subjects}, {@code
 * /schemas/ids}) over {@code java.net.http}: register, look up and fetch Avro schemas, with id and
 * schema caches, basic authentication and TLS. It speaks the Confluent-compatible API that Apicurio
 * serves under {@code /apis/ccompat/v7} as well as Confluent's own registry.
 *
 * <p>{@link dev.strata.schemas.registry.SchemaRegistryClient} is the entry point; {@link
 * dev.strata.schemas.registry.SchemaRegistryClientConfig} maps Confluent-named configuration keys
 * onto its builder.
 */
package dev.strata.schemas.registry;
