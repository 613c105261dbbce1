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

  /** Health from two switches. */
  private static final class Switches implements Health {
    final AtomicBoolean live = new AtomicBoolean(true);
    final AtomicBoolean ready = new AtomicBoolean(true);

    @Override
    public boolean live() {
      return live.get();
    }

    @Override
    public boolean ready() {
      return ready.get();
    }
  }

  @Test
  void servesPrometheusText() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerStreamMetrics metrics = new MicrometerStreamMetrics(registry);
    metrics.recordIn();
    metrics.recordIn();
    metrics.recordOut();
    metrics.deadLettered(DeadLetterReason.TEXT_TOO_LONG);
    metrics.feedbackDeadLettered(DeadLetterReason.UNDECODABLE);
    metrics.batchInferred(1, 12, 3.5);
    metrics.endToEnd(40);
    metrics.endToEnd(700);
    metrics.modelInService("bert-base-cased/dwatt@0123456789ab");

    try (MetricsServer server = MetricsServer.start(0, registry, new Switches())) {
      HttpResponse<String> scrape = get(server, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body())
          .contains("strata_records_in_total 2.0")
          .contains("strata_records_out_total 1.0")
          .contains(
              "strata_records_dead_lettered_total{reason=\"TEXT_TOO_LONG\",source=\"input\"} 1.0")
          .contains(
              "strata_records_dead_lettered_total{reason=\"UNDECODABLE\",source=\"feedback\"} 1.0")
          .contains(
              "strata_records_dead_lettered_total{reason=\"UNDECODABLE\",source=\"input\"} 0.0")
          .contains("strata_batch_size_bucket{le=\"1.0\"} 1")
          .contains("strata_inference_seconds_count 1")
          .contains("strata_end_to_end_milliseconds_bucket{le=\"25.0\"} 0")
          .contains("strata_end_to_end_milliseconds_bucket{le=\"50.0\"} 1")
          .contains("strata_end_to_end_milliseconds_bucket{le=\"1000.0\"} 2")
          .contains("strata_end_to_end_milliseconds_count 2")
          .contains("strata_end_to_end_milliseconds_sum 740.0")
          .contains("strata_model_info{version=\"bert-base-cased/dwatt@0123456789ab\"} 1");
    }
  }

  @Test
  void aNewModelVersionReplacesTheOldOneInTheInfoMetric() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerStreamMetrics metrics = new MicrometerStreamMetrics(registry);
    metrics.modelInService("m@1");
    metrics.modelInService("m@2");

    assertThat(registry.scrape())
        .contains("strata_model_info{version=\"m@2\"} 1")
        .doesNotContain("version=\"m@1\"");
  }

  @Test
  void livenessAndReadinessAnswerSeparatelyAndHealthIsLiveness() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Switches health = new Switches();
    try (MetricsServer server = MetricsServer.start(0, registry, health)) {
      for (String path : new String[] {"/health", "/health/live", "/health/ready"}) {
        HttpResponse<String> up = get(server, path);
        assertThat(up.statusCode()).as(path).isEqualTo(200);
        assertThat(up.body()).as(path).isEqualTo("UP\n");
      }

      health.ready.set(false); // e.g. rebalancing: still live, not ready
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(server, "/health").statusCode()).isEqualTo(200);
      HttpResponse<String> notReady = get(server, "/health/ready");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).isEqualTo("DOWN\n");

      health.live.set(false);
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health").statusCode()).isEqualTo(503);

      assertThat(get(server, "/health/other").statusCode()).isEqualTo(404);
    }
  }
}
