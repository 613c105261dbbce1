/**
 * {@code strata demo}: the default model (trained once into the cache from CoNLL-03 when absent),
 * the local infrastructure, sample texts fed to the input topic, and the annotated records printed
 * as they arrive.
 */
package dev.strata.app.demo;
