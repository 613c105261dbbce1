package dev.strata.app.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.HeadRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code heads.history.keep}: which history records are deleted after a publication. */
class HistoryPrunerTest {
  private final HeadCatalog catalog = new HeadCatalog();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private final HeadPublisher publisher =
      new HeadPublisher(producer, "heads", (topic, r) -> new byte[] {1});

  private static HeadRecord head(String name, long version) {
    return HeadsTopicFixture.head(name, version, new byte[] {1});
  }

  /** Keys written, tombstones marked with a leading '-'. */
  private List<String> written() {
    return producer.history().stream()
        .map(
            (ProducerRecord<byte[], byte[]> r) ->
                (r.value() == null ? "-" : "") + new String(r.key(), StandardCharsets.UTF_8))
        .toList();
  }

  private void known(String name, long... versions) {
    for (long v : versions) {
      catalog.addVersion(head(name, v));
    }
  }

  @Test
  void versionsBeyondTheNewestKeepAreDeletedAndForgotten() {
    known("a", 1, 2, 3);
    catalog.setServing(head("a", 3));
    known("b", 1, 2, 3); // another head is left alone

    new HistoryPruner(catalog, publisher, 2).afterPublishing(head("a", 4));

    assertThat(written()).containsExactly("-a@2", "-a@1");
    assertThat(catalog.versions("a")).extracting(HeadRecord::getVersion).containsExactly(3L);
    assertThat(catalog.versions("b")).hasSize(3);
  }

  @Test
  void theServingVersionIsNeverDeleted() {
    known("a", 1, 2, 3, 4);
    catalog.setServing(head("a", 1)); // rolled back to v1

    new HistoryPruner(catalog, publisher, 2).afterPublishing(head("a", 5));

    assertThat(written()).containsExactly("-a@3", "-a@2");
    assertThat(catalog.versions("a")).extracting(HeadRecord::getVersion).containsExactly(1L, 4L);
  }

  @Test
  void nothingIsDeletedWithinTheWindow() {
    known("a", 1, 2);
    new HistoryPruner(catalog, publisher, 3).afterPublishing(head("a", 3));
    assertThat(written()).isEmpty();
  }

  @Test
  void aFailedDeleteKeepsTheVersionKnownSoTheNextPublicationTriesAgain()
      throws InterruptedException {
    MockProducer<byte[], byte[]> failing =
        new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    known("a", 1, 2);
    catalog.setServing(head("a", 2));
    HistoryPruner pruner =
        new HistoryPruner(catalog, new HeadPublisher(failing, "heads", (t, r) -> new byte[0]), 1);
    Thread failer =
        new Thread(
            () -> {
              while (!failing.errorNext(new IllegalStateException("broker said no"))) {
                Thread.onSpinWait();
              }
            });
    failer.start();

    pruner.afterPublishing(head("a", 3));
    failer.join();

    assertThat(failing.history()).hasSize(1).allMatch(r -> r.value() == null);
    assertThat(catalog.versions("a")).extracting(HeadRecord::getVersion).containsExactly(1L, 2L);
  }
}
