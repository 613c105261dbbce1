/**
 * Avro record schemas exchanged on Strata's topics (text in, annotations out, feedback) and the
 * Confluent-wire-format serde. The schemas arrive with the streaming pipeline; this module exists
 * from the start so that the build layout is fixed.
 */
package dev.strata.schemas;
