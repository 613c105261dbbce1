/**
 * The streaming benchmark behind {@code strata bench-stream}: the annotator alone against the full
 * topology on Kafka's {@code TopologyTestDriver} (no broker; the real Confluent-format serdes over
 * an in-memory registry), at the configured batch size and at batch 1, over real sentences.
 */
package dev.strata.app.bench;
