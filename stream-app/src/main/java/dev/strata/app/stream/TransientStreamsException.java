package dev.strata.app.stream;

import org.apache.kafka.streams.errors.StreamsException;

/**
 * A failure that is not the record's fault and may go away (the schema registry is unreachable):
 * {@link StrataApp} replaces the stream thread, which resumes from the last commit, instead of
 * stopping the application.
 */
public final class TransientStreamsException extends StreamsException {
  private static final long serialVersionUID = 1L;

  public TransientStreamsException(String message, Throwable cause) {
    super(message, cause);
  }
}
