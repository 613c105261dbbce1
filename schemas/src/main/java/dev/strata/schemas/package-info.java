/**
 * Strata's topic contracts: the Avro record schemas exchanged on its topics (text in, annotations
 * out, feedback) in {@code dev.strata.schemas.avro}, the Confluent-wire-format serde in {@code
 * dev.strata.schemas.serde}, and the schema registry client it uses in {@code
 * dev.strata.schemas.registry}.
 */
package dev.strata.schemas;
