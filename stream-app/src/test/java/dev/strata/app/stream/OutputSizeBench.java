package dev.strata.app.stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.model.bench.Stats;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.ModelInfo;
import dev.strata.schemas.avro.Timings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

/**
 * Cost of the output size check ({@link AnnotatedRecordSize}) against the output serializer it
 * repeats, per record, on annotated records built from the CoNLL-03 test sentences with their gold
 * entities (13 layer weights each, as BERT-base gives). The two alternate per repetition; prints
 * medians and the spread, asserts nothing about time. Not part of the test suite (the name does not
 * end in Test). Run with {@code mvn -o -pl stream-app test -Dtest=OutputSizeBench
 * -Dsurefire.failIfNoSpecifiedTests=false}, optionally {@code -Dstrata.bench.reps=9
 * -Dstrata.data.dir=DIR} (default {@code ../shared/data}).
 */
class OutputSizeBench {
  @Test
  void sizeCheckAgainstSerialisation() throws Exception {
    Path test =
        Path.of(System.getProperty("strata.data.dir", "../shared/data"), "conll2003", "test.txt");
    assumeTrue(
        Files.isRegularFile(test), "CoNLL-03 not found at " + test + "; set strata.data.dir");
    int reps = Integer.getInteger("strata.bench.reps", 9);
    List<AnnotatedRecord> records = new ArrayList<>();
    for (Sentence s : ConllReader.create().read(test)) {
      records.add(annotated(s));
    }
    byte[] key = "some-key-0001".getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    headers.add(MicroBatcher.MODEL_VERSION_HEADER, "bert-base-cased/base@v3".getBytes());
    try (InMemoryRegistry registry = new InMemoryRegistry()) {
      StrataSerdes serdes = StrataSerdes.confluent(registry.client());
      Serializer<AnnotatedRecord> serializer = serdes.annotated().serializer();
      AnnotatedRecordSize size = new AnnotatedRecordSize();
      long sink = serialise(serializer, records) + measure(size, key, headers, records); // warm-up
      double[] serialiseUs = new double[reps];
      double[] sizeUs = new double[reps];
      double[] ratio = new double[reps];
      for (int r = 0; r < reps; r++) {
        long t0 = System.nanoTime();
        if (r % 2 == 0) {
          sink += serialise(serializer, records);
          long t1 = System.nanoTime();
          sink += measure(size, key, headers, records);
          serialiseUs[r] = (t1 - t0) / 1e3 / records.size();
          sizeUs[r] = (System.nanoTime() - t1) / 1e3 / records.size();
        } else {
          sink += measure(size, key, headers, records);
          long t1 = System.nanoTime();
          sink += serialise(serializer, records);
          sizeUs[r] = (t1 - t0) / 1e3 / records.size();
          serialiseUs[r] = (System.nanoTime() - t1) / 1e3 / records.size();
        }
        ratio[r] = sizeUs[r] / serialiseUs[r];
      }
      System.out.printf(
          "%d records (CoNLL-03 test, gold entities), %d repetitions, median [min-max]:%n"
              + "  output serializer: %s us per record%n"
              + "  size check:        %s us per record%n"
              + "  check / serializer: %s%n"
              + "  (checksum %d)%n",
          records.size(),
          reps,
          Stats.of(serialiseUs).format("%.2f"),
          Stats.of(sizeUs).format("%.2f"),
          Stats.of(ratio).format("%.2f"),
          sink);
    }
  }

  private static long serialise(Serializer<AnnotatedRecord> serializer, List<AnnotatedRecord> rs) {
    long n = 0;
    for (AnnotatedRecord r : rs) {
      n += serializer.serialize("annotated", r).length;
    }
    return n;
  }

  private static long measure(
      AnnotatedRecordSize size, byte[] key, RecordHeaders headers, List<AnnotatedRecord> rs) {
    long n = 0;
    for (AnnotatedRecord r : rs) {
      n += size.of(key, r, headers);
    }
    return n;
  }

  /** The sentence joined by spaces, with its gold entities as spans. */
  private static AnnotatedRecord annotated(Sentence s) {
    String text = String.join(" ", s.words());
    List<EntitySpan> spans = new ArrayList<>();
    List<Float> weights = Collections.nCopies(13, 1f / 13);
    int offset = 0;
    int start = -1;
    String label = null;
    for (int i = 0; i <= s.size(); i++) {
      String tag = i < s.size() ? s.tags().get(i) : "O";
      boolean continues = label != null && tag.equals("I-" + label);
      if (label != null && !continues) {
        spans.add(span(text, start, offset - 1, label, weights));
        label = null;
      }
      if (i < s.size() && !tag.equals("O") && !continues) {
        label = tag.substring(2);
        start = offset;
      }
      if (i < s.size()) {
        offset += s.words().get(i).length() + 1;
      }
    }
    return AnnotatedRecord.newBuilder()
        .setInputId("conll-test-" + text.hashCode())
        .setText(text)
        .setEntities(spans)
        .setClassification(null)
        .setModel(
            ModelInfo.newBuilder()
                .setBackbone("bert-base-cased")
                .setHeads(Map.of("base", "v3:1a2b3c4d5e6f"))
                .build())
        .setTimings(
            Timings.newBuilder()
                .setBatchSize(32)
                .setInferenceMs(812.5f)
                .setEndToEndMs(900f)
                .build())
        .setEventTime(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  private static EntitySpan span(
      String text, int start, int end, String label, List<Float> weights) {
    return EntitySpan.newBuilder()
        .setStart(start)
        .setEnd(end)
        .setLabel(label)
        .setText(text.substring(start, end))
        .setScore(0.97f)
        .setLayerWeights(weights)
        .setHead("base")
        .build();
  }
}
