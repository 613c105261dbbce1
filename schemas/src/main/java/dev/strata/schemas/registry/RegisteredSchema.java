package dev.strata.schemas.registry;

import static java.util.Objects.requireNonNull;

import org.apache.avro.Schema;

/**
 * One version of a subject as the registry reports it.
 *
 * @param subject the subject name, e.g. {@code texts-value}
 * @param id the global schema id written into each record's 5-byte header
 * @param version the subject-local version number, starting at 1
 * @param schema the Avro schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
  public RegisteredSchema {
    requireNonNull(subject, "subject");
    requireNonNull(schema, "schema");
  }
}
