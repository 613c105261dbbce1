package dev.strata.model.fewshot;

import java.util.List;
import java.util.Map;

/** Small synthetic runs for the report tests. */
final class TestRuns {
  static final String EXAMPLE_LINE =
      "{\"backbone\":\"bert-base-cased\",\"data\":\"conll2003\",\"head\":\"dwatt\",\"k\":100,"
          + "\"seed\":1,\"trainable_params\":8324673,\"steps\":240,\"best_step\":180,"
          + "\"dev_f1\":0.7712,\"test_f1\":0.7421,"
          + "\"per_type_f1\":{\"LOC\":0.8,\"MISC\":0.6,\"ORG\":0.7,\"PER\":0.85},"
          + "\"wall_seconds\":93.2,\"history\":[[20,0.31],[40,0.52]],"
          + "\"config\":{\"lr\":0.001,\"batch_size\":32,\"epochs\":10}}";

  private TestRuns() {}

  /** A run of backbone {@code b} on data {@code d} with the given test F1 and parameter count. */
  static FewShotRun run(String head, int k, long seed, double testF1, long params) {
    return run(head, k, seed, testF1, params, List.of());
  }

  static FewShotRun run(
      String head, int k, long seed, double testF1, long params, List<HistoryPoint> history) {
    return new FewShotRun(
        "b", "d", head, k, seed, params, 100, 80, testF1, testF1, Map.of(), 1.5, history, Map.of());
  }

  /** Runs of one head at one k, seeds 1, 2, ... with these test F1 values. */
  static List<FewShotRun> seeds(String head, int k, long params, double... testF1) {
    return java.util.stream.IntStream.range(0, testF1.length)
        .mapToObj(i -> run(head, k, i + 1, testF1[i], params))
        .toList();
  }
}
