package dev.strata.app.cli;

/** An error whose message is meant for the operator as is: printed without a stack trace. */
public class UserFacingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UserFacingException(String message) {
    super(message);
  }

  public UserFacingException(String message, Throwable cause) {
    super(message, cause);
  }
}
