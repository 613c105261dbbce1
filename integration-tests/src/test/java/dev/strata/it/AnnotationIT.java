package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.stream.StrataApp;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.Entity;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real broker, real registry, real model: TextRecords in, AnnotatedRecords out through {@link
 * StrataApp} in this JVM. Every span must point at its own text by character offsets, and the spans
 * must be what the same annotator returns for that text without Kafka.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class AnnotationIT {
  /** Texts with names, places and organisations; one with non-ASCII letters and an emoji. */
  private static final Map<String, String> TEXTS = new LinkedHashMap<>();

  static {
    TEXTS.put("t1", "Germany beat England 2-1 in London on Sunday.");
    TEXTS.put(
        "t2", "Angela Merkel met Emmanuel Macron in Paris to discuss the European Union budget.");
    TEXTS.put(
        "t3", "Shares of Microsoft rose 3 percent on Wall Street after the report from Reuters.");
    TEXTS.put("t4", "Maria Fernández joined Nordlicht Energie AG in Zürich 🙂 last week.");
    TEXTS.put("t5", "Manchester United signed the Brazilian striker from Santos on Tuesday.");
    TEXTS.put("t6", "It rained all day.");
  }

  @TempDir Path stateDir;

  @Test
  void annotatesKnownTextsWithCorrectOffsetsAndTheModelVersion(EntityTaggerAnnotator annotator)
      throws Exception {
    try (Pipeline p = new Pipeline("annotate", 1, stateDir);
        StrataApp app = p.start(annotator);
        KafkaProducer<byte[], byte[]> producer = p.kafka.producer()) {
      p.send(producer, TEXTS);

      List<ConsumerRecord<byte[], byte[]>> out =
          p.kafka.readCommitted(
              p.output, r -> r.size() >= TEXTS.size(), Duration.ofSeconds(120), Duration.ZERO);
      assertThat(out).hasSize(TEXTS.size());

      int spans = 0;
      List<String> ids = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : out) {
        AnnotatedRecord a = p.decode(r.value());
        String id = a.getInputId();
        ids.add(id);
        String text = TEXTS.get(id);
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(id);
        assertThat(a.getText()).isEqualTo(text);
        assertThat(a.getModel().getBackbone()).isEqualTo(TrainedTagger.BACKBONE);
        assertThat(a.getModel().getHeads()).isEqualTo(annotator.descriptor().heads());
        Header version = r.headers().lastHeader("strata.model.version");
        assertThat(version).as("strata.model.version header").isNotNull();
        assertThat(new String(version.value(), StandardCharsets.UTF_8))
            .isEqualTo(annotator.modelVersion())
            .startsWith(TrainedTagger.BACKBONE + "/dwatt@");
        assertThat(a.getEventTime().toEpochMilli()).isEqualTo(1_700_000_000_000L);
        assertThat(a.getTimings().getBatchSize()).isBetween(1, TEXTS.size());

        Annotation direct = annotator.annotate(List.of(text)).get(0);
        assertThat(a.getEntities()).as("spans of %s", id).hasSameSizeAs(direct.entities());
        for (int i = 0; i < direct.entities().size(); i++) {
          EntitySpan s = a.getEntities().get(i);
          Entity e = direct.entities().get(i);
          assertThat(text.substring(s.getStart(), s.getEnd()))
              .as("offsets of span %d of %s", i, id)
              .isEqualTo(s.getText());
          assertThat(List.of(s.getStart(), s.getEnd(), s.getLabel(), s.getText()))
              .isEqualTo(List.of(e.start(), e.end(), e.label(), e.text()));
          assertThat(s.getScore()).isCloseTo(e.score(), within(1e-3f));
          assertThat(s.getLayerWeights()).hasSize(e.layerWeights().length).isNotEmpty();
          assertThat(s.getHead()).isEqualTo("dwatt");
          spans++;
        }
      }
      assertThat(ids).containsExactlyElementsOf(TEXTS.keySet());
      // The offset checks above must have had something to check.
      assertThat(spans).as("entity spans over all texts").isGreaterThanOrEqualTo(5);
      System.out.printf(
          "[strata-it] annotation: %d texts, %d entity spans, offsets and spans as in-process%n",
          TEXTS.size(), spans);
    }
  }
}
