package dev.strata.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.ModelInfo;
import dev.strata.schemas.avro.Timings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotationFormatTest {

  private static EntitySpan span(int start, int end, String label, String text, float score) {
    return EntitySpan.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setLabel(label)
        .setText(text)
        .setScore(score)
        .setHead("dwatt")
        .build();
  }

  private static AnnotatedRecord record(String text, List<EntitySpan> entities, Float endToEnd) {
    return AnnotatedRecord.newBuilder()
        .setInputId("demo-x-0")
        .setText(text)
        .setEntities(entities)
        .setModel(
            ModelInfo.newBuilder()
                .setBackbone("bert-base-cased")
                .setHeads(Map.of("dwatt", "0123456789ab"))
                .build())
        .setTimings(
            Timings.newBuilder()
                .setBatchSize(3)
                .setInferenceMs(41.6f)
                .setEndToEndMs(endToEnd)
                .build())
        .setEventTime(Instant.EPOCH)
        .build();
  }

  @Test
  void printsTheTextThenAlignedEntitiesThenModelAndTimings() {
    String text = "Maria Fernández joined Nordlicht Energie AG in Zürich.";
    String printed =
        AnnotationFormat.format(
            record(
                text,
                List.of(
                    span(0, 15, "PER", "Maria Fernández", 0.9987f),
                    span(23, 43, "ORG", "Nordlicht Energie AG", 0.93f),
                    span(47, 53, "LOC", "Zürich", 1f)),
                120.4f));
    assertThat(printed)
        .isEqualTo(
            text
                + "\n"
                + "    PER   \"Maria Fernández\"       [0,15)    0.999\n"
                + "    ORG   \"Nordlicht Energie AG\"  [23,43)   0.930\n"
                + "    LOC   \"Zürich\"                [47,53)   1.000\n"
                + "    model bert-base-cased dwatt@0123456789ab | batch of 3 | inference 42 ms,"
                + " end-to-end 120 ms\n");
  }

  @Test
  void saysSoWhenThereAreNoEntitiesAndOmitsAnUnmeasuredLatency() {
    String printed = AnnotationFormat.format(record("Nothing here.", List.of(), null));
    assertThat(printed)
        .isEqualTo(
            "Nothing here.\n"
                + "    (no entities)\n"
                + "    model bert-base-cased dwatt@0123456789ab | batch of 3 | inference 42 ms\n");
  }
}
