package dev.strata.app.stream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which registry failures while writing an output are worth retrying by replacing the thread. */
class OutputEncoderTest {
  @Test
  void noAnswerOrAServerSideFailureIsTransient() {
    for (int status : new int[] {-1, 408, 429, 500, 502, 503, 504}) {
      assertThat(OutputEncoder.isTransient(status)).as("HTTP %d", status).isTrue();
    }
  }

  @Test
  void aRefusalNeedsTheOperator() {
    for (int status : new int[] {400, 401, 403, 404, 409, 422}) {
      assertThat(OutputEncoder.isTransient(status)).as("HTTP %d", status).isFalse();
    }
  }
}
