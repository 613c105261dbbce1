/**
 * End-to-end tests against a real Kafka broker and schema registry (started by {@code
 * deploy/infra/infra.sh}, which {@code ./strata test} does). They are {@code *IT} classes run by
 * failsafe in {@code verify}; {@link dev.strata.it.RealInfra} says where the servers are and what
 * happens when they are not given.
 */
package dev.strata.it;
