/**
 * End-to-end tests against a real Kafka broker and schema registry started by {@code ./strata infra
 * start}. They run under failsafe ({@code *IT}) once the streaming pipeline lands.
 */
package dev.strata.it;
