package dev.strata.model.backbone;

/**
 * A Maven artifact holding a backbone is neither in the local repository nor obtainable with {@code
 * mvn}. The message names the coordinates and the command to run by hand.
 */
public class ArtifactResolutionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ArtifactResolutionException(String message) {
    super(message);
  }

  public ArtifactResolutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
