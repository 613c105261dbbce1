/**
 * The Kafka Streams application: typed configuration ({@link dev.strata.app.stream.StrataConfig}),
 * the topology ({@link dev.strata.app.stream.StrataTopology}: decode, micro-batch, annotate,
 * dead-letter) and the model interface it talks to ({@link dev.strata.app.stream.Annotator}).
 * Nothing here imports {@code ai.djl}: the model is reached only through {@code Annotator}.
 */
package dev.strata.app.stream;
