package dev.strata.app.stream;

import dev.strata.schemas.registry.SchemaRegistryException;

/** Tells a record's fault (unknown schema id) from the registry's (outage) when decoding fails. */
public final class RegistryErrors {
  private RegistryErrors() {}

  /** The registry exception behind {@code e}, or {@code null} when the data itself was bad. */
  public static SchemaRegistryException registryCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SchemaRegistryException s) {
        return s;
      }
    }
    return null;
  }

  /** Whether the registry answered "schema not found" (the record names an unknown id). */
  public static boolean isNotFound(SchemaRegistryException e) {
    return e.errorCode().orElse(-1) == SchemaRegistryException.SCHEMA_NOT_FOUND
        || e.httpStatus().orElse(-1) == 404;
  }
}
