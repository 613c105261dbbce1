package dev.strata.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code strata_heads_records_total} counters of one head, by outcome, as the application's
 * Prometheus endpoint reports them.
 */
final class HeadCounters {
  private static final Pattern LINE =
      Pattern.compile("strata_heads_records_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)");
  private static final Pattern OUTCOME = Pattern.compile("outcome=\"([A-Z_]+)\"");

  private HeadCounters() {}

  /**
   * Polls {@code http://127.0.0.1:port/metrics} until the counters of {@code head} satisfy {@code
   * done}, or {@code timeout} passes; returns the last counters read (outcome → count).
   */
  static Map<String, Double> await(
      int port, String head, Predicate<Map<String, Double>> done, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
      Map<String, Double> found = new TreeMap<>();
      Matcher m = LINE.matcher(body);
      while (m.find()) {
        String labels = m.group(1);
        Matcher o = OUTCOME.matcher(labels);
        if (labels.contains("head=\"" + head + "\"") && o.find()) {
          found.put(o.group(1), Double.parseDouble(m.group(2)));
        }
      }
      if (done.test(found) || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(200);
    }
  }

  /** The sum of the {@code REJECTED_*} outcomes. */
  static double rejected(Map<String, Double> outcomes) {
    return outcomes.entrySet().stream()
        .filter(e -> e.getKey().startsWith("REJECTED_"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }
}
