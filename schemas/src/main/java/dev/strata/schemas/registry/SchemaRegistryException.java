package dev.strata.schemas.registry;

import java.util.OptionalInt;

/**
 * A registry call failed: the registry could not be reached, or it answered with an error. The
 * message names the operation, the subject or schema id, the URL, the HTTP status and the
 * registry's error code and message, and says what to check next.
 */
public final class SchemaRegistryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Confluent error code: subject not found. */
  public static final int SUBJECT_NOT_FOUND = 40401;

  /** Confluent error code: version not found. */
  public static final int VERSION_NOT_FOUND = 40402;

  /** Confluent error code: schema not found. */
  public static final int SCHEMA_NOT_FOUND = 40403;

  /** Confluent error code (and HTTP status): incompatible schema. */
  public static final int INCOMPATIBLE_SCHEMA = 409;

  /** Confluent error code: invalid schema. */
  public static final int INVALID_SCHEMA = 42201;

  private final String url;
  private final int httpStatus;
  private final int errorCode;

  SchemaRegistryException(
      String message, String url, int httpStatus, int errorCode, Throwable cause) {
    super(message, cause);
    this.url = url;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The request URL (without credentials). */
  public String url() {
    return url;
  }

  /** The HTTP status, or empty when no response was received. */
  public OptionalInt httpStatus() {
    return httpStatus < 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
  }

  /**
   * The registry's {@code error_code} (e.g. {@link #SCHEMA_NOT_FOUND}), or empty when the response
   * carried none.
   */
  public OptionalInt errorCode() {
    return errorCode < 0 ? OptionalInt.empty() : OptionalInt.of(errorCode);
  }
}
