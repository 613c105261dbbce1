package dev.strata.schemas.serde;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.Classification;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.LabeledSpan;
import dev.strata.schemas.avro.ModelInfo;
import dev.strata.schemas.avro.TextRecord;
import dev.strata.schemas.avro.Timings;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One filled-in record of each schema. */
final class Samples {
  static final Instant T0 = Instant.ofEpochMilli(1_767_225_600_123L);
  static final String TEXT = "Maria Fernández joined Nordlicht Energie AG in Zürich.";

  private Samples() {}

  static TextRecord text() {
    return TextRecord.newBuilder()
        .setId("t-1")
        .setText(TEXT)
        .setLanguage("en")
        .setEventTime(T0)
        .setMetadata(Map.of("source", "news"))
        .build();
  }

  static AnnotatedRecord annotated() {
    return AnnotatedRecord.newBuilder()
        .setInputId("t-1")
        .setText(TEXT)
        .setEntities(
            List.of(
                EntitySpan.newBuilder()
                    .setStart(0)
                    .setEnd(15)
                    .setLabel("PER")
                    .setText("Maria Fernández")
                    .setScore(0.98f)
                    .setLayerWeights(List.of(0.1f, 0.2f, 0.7f))
                    .setHead("ner-dwatt")
                    .build(),
                EntitySpan.newBuilder()
                    .setStart(47)
                    .setEnd(53)
                    .setLabel("LOC")
                    .setText("Zürich")
                    .setScore(0.91f)
                    .setHead("ner-last-layer")
                    .build()))
        .setClassification(
            Classification.newBuilder()
                .setHead("topic")
                .setLabel("business")
                .setProbabilities(Map.of("business", 0.8f, "sports", 0.2f))
                .build())
        .setModel(
            ModelInfo.newBuilder()
                .setBackbone("bert-base-cased")
                .setHeads(Map.of("ner-dwatt", "3", "topic", "1"))
                .build())
        .setTimings(Timings.newBuilder().setBatchSize(8).setInferenceMs(12.5f).build())
        .setEventTime(T0)
        .build();
  }

  static FeedbackRecord feedback() {
    return FeedbackRecord.newBuilder()
        .setId("t-1")
        .setText(TEXT)
        .setHead("ner-dwatt")
        .setSpans(List.of(LabeledSpan.newBuilder().setStart(23).setEnd(43).setLabel("ORG").build()))
        .setSource("annotator-7")
        .setEventTime(T0)
        .build();
  }
}
