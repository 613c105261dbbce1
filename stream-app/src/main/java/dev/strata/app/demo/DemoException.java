package dev.strata.app.demo;

/** A demo failure the operator can fix; the message says how. Printed without a stack trace. */
public final class DemoException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DemoException(String message) {
    super(message);
  }

  public DemoException(String message, Throwable cause) {
    super(message, cause);
  }
}
