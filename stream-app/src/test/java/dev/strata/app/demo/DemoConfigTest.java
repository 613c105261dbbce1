package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.stream.StrataConfig;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

  @Test
  void theDemoRunsOnItsOwnTopicsAndApplicationIdWithALongTransactionTimeout() {
    StrataConfig c =
        DemoConfig.of(
            new LocalInfra.Endpoints("127.0.0.1:29092", "http://127.0.0.1:28081/apis/ccompat/v7"),
            Path.of("m.strata"),
            Path.of("state"));
    assertThat(c.applicationId()).isEqualTo("strata-demo");
    assertThat(c.inputTopic()).isEqualTo("strata.demo.text");
    assertThat(c.outputTopic()).isEqualTo("strata.demo.annotated");
    assertThat(c.deadLetterTopic()).isEqualTo("strata.demo.dead-letter");
    assertThat(c.feedbackTopic()).isEqualTo("strata.demo.feedback");
    assertThat(c.headsTopic()).isEqualTo("strata.demo.heads");
    assertThat(c.modelPath()).isEqualTo(Path.of("m.strata"));
    assertThat(c.batchMaxRecords()).isEqualTo(DemoConfig.BATCH_MAX_RECORDS);
    assertThat(c.processingGuarantee()).isEqualTo("exactly_once_v2");
    Properties p = c.streamsProperties();
    assertThat(p.get("state.dir")).isEqualTo("state");
    assertThat(p.get("producer.transaction.timeout.ms"))
        .isEqualTo(String.valueOf(DemoConfig.TRANSACTION_TIMEOUT_MS));
    assertThat(c.serdeProperties())
        .containsEntry("schema.registry.url", "http://127.0.0.1:28081/apis/ccompat/v7")
        .doesNotContainKey("producer.transaction.timeout.ms");
  }
}
