package dev.strata.app.stream.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.stream.DeadLetterReason;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesPrometheusTextAndHealth() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerStreamMetrics metrics = new MicrometerStreamMetrics(registry);
    metrics.recordIn();
    metrics.recordIn();
    metrics.recordOut();
    metrics.deadLettered(DeadLetterReason.TEXT_TOO_LONG);
    metrics.batchInferred(1, 12, 3.5);
    AtomicBoolean healthy = new AtomicBoolean(true);

    try (MetricsServer server = MetricsServer.start(0, registry, healthy::get)) {
      HttpResponse<String> scrape = get(server, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("strata_records_in_total 2.0")
          .contains("strata_records_out_total 1.0")
          .contains("strata_records_dead_lettered_total{reason=\"TEXT_TOO_LONG\"} 1.0")
          .contains("strata_batch_size_bucket{le=\"1.0\"} 1")
          .contains("strata_inference_seconds_count 1");

      assertThat(get(server, "/health").statusCode()).isEqualTo(200);
      healthy.set(false);
      HttpResponse<String> down = get(server, "/health");
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("DOWN\n");
    }
  }
}
