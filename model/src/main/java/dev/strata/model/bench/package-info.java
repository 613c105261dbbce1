/**
 * Benchmarks that print numbers (throughput, GFLOP/s, ratios against reference runtimes). Speed
 * targets live here, never in timed tests.
 */
package dev.strata.model.bench;
