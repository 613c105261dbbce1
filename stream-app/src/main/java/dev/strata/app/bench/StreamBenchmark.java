package dev.strata.app.bench;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.BatchStoreType;
import dev.strata.app.stream.StrataSerdes;
import dev.strata.model.bench.Stats;
import dev.strata.model.ner.Annotation;
import dev.strata.schemas.registry.InMemorySchemaRegistry;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Streaming throughput in one run: per repetition, interleaved (and in alternating order) so that a
 * busy machine slows every figure alike,
 *
 * <ol>
 *   <li>the annotator alone at the configured batch size (texts handed over in slices of {@code
 *       batchSize}),
 *   <li>the full topology at that batch size ({@link TopologyRun}), with the open batch in RocksDB
 *       (the default) and on the heap ({@code batch.store.type=IN_MEMORY}),
 *   <li>the full topology with the model's answers replayed instead of inferred ({@link
 *       ReplayAnnotator}): the pipeline's own cost per record (decode, tokenise, store, serialise),
 *   <li>the annotator alone at batch 1.
 * </ol>
 *
 * Ratios are taken per repetition, then summarised. Targets: topology ≥ {@value #TOPOLOGY_TARGET}×
 * the annotator alone, and batching ≥ {@value #BATCHING_TARGET}× batch 1.
 */
public final class StreamBenchmark {
  /** Target of topology records/s over annotator records/s at the same batch size. */
  public static final double TOPOLOGY_TARGET = 0.85;

  /** Target of annotator records/s at the batch size over batch 1. */
  public static final double BATCHING_TARGET = 5.0;

  private StreamBenchmark() {}

  /**
   * @param batchSize texts per micro-batch
   * @param records records per measurement
   * @param reps repetitions
   */
  public record Options(int batchSize, int records, int reps) {
    public Options {
      if (batchSize < 1 || batchSize > 10_000) {
        throw new IllegalArgumentException(
            "--batch-size must be in [1, 10000] (batch.max.records), got " + batchSize);
      }
      if (records < batchSize) {
        throw new IllegalArgumentException(
            "--records must be at least --batch-size (" + batchSize + "), got " + records);
      }
      if (reps < 1) {
        throw new IllegalArgumentException("--reps must be at least 1, got " + reps);
      }
    }
  }

  /**
   * Records/s of each measurement and the ratios, each over the repetitions.
   *
   * @param annotator annotator alone at the batch size
   * @param topology full topology at the batch size, open batch in RocksDB
   * @param topologyInMemory full topology at the batch size, open batch on the heap
   * @param pipeline full topology with replayed answers (no inference)
   * @param single annotator alone at batch 1
   * @param topologyRatio topology / annotator
   * @param inMemoryRatio topology with the in-memory store / annotator
   * @param batchingGain annotator at the batch size / at batch 1
   */
  public record Result(
      Stats annotator,
      Stats topology,
      Stats topologyInMemory,
      Stats pipeline,
      Stats single,
      Stats topologyRatio,
      Stats inMemoryRatio,
      Stats batchingGain) {

    public boolean topologyTargetMet() {
      return topologyRatio.median() >= TOPOLOGY_TARGET;
    }

    public boolean batchingTargetMet() {
      return batchingGain.median() >= BATCHING_TARGET;
    }

    /** The pipeline's own milliseconds per record, from the replayed run. */
    public double pipelineMsPerRecord() {
      return 1000 / pipeline.median();
    }

    /** The model's milliseconds per record at the batch size. */
    public double modelMsPerRecord() {
      return 1000 / annotator.median();
    }
  }

  /** Measures and prints the report to {@code out}. */
  public static Result run(Annotator annotator, BenchTexts texts, Options o, PrintWriter out) {
    requireNonNull(annotator, "annotator");
    requireNonNull(texts, "texts");
    requireNonNull(o, "o");
    requireNonNull(out, "out");
    long tokens = 0;
    long padded = 0;
    for (int from = 0; from < o.records(); from += o.batchSize()) {
      int to = Math.min(o.records(), from + o.batchSize());
      int longest = 0;
      for (int i = from; i < to; i++) {
        int n = annotator.tokenCount(texts.text(i));
        tokens += n;
        longest = Math.max(longest, n);
      }
      padded += (long) longest * (to - from);
    }
    out.printf("model: %s%n", annotator.modelVersion());
    out.printf(
        "texts: %s; %.1f sub-tokens per text on average, %.0f%% of the encoder positions are"
            + " padding at batch %d%n",
        texts.description(),
        (double) tokens / o.records(),
        100.0 * (padded - tokens) / padded,
        o.batchSize());
    out.printf(
        "%d records per measurement, %d repetitions, batch %d; records/s as median [min–max]%n",
        o.records(), o.reps(), o.batchSize());
    out.flush();

    ReplayAnnotator replay = new ReplayAnnotator(annotator);
    try (InMemorySchemaRegistry registry = InMemorySchemaRegistry.start()) {
      StrataSerdes serdes = StrataSerdes.confluent(registry.client());
      TopologyRun topology = new TopologyRun(serdes, registry.url(), o.batchSize());
      List<TestRecord<byte[], byte[]>> input = topology.encode(texts, o.records(), Instant.now());

      // Warm-up: JIT, native allocations, RocksDB; fills the replay with every text's answer.
      annotate(replay.recording(), texts, o.records(), o.batchSize());
      annotate(annotator, texts, Math.min(o.records(), 2), 1);
      topology.recordsPerSecond(replay.replaying(), input);

      double[] alone = new double[o.reps()];
      double[] full = new double[o.reps()];
      double[] inMemory = new double[o.reps()];
      double[] inMemoryRatio = new double[o.reps()];
      double[] pipeline = new double[o.reps()];
      double[] single = new double[o.reps()];
      double[] ratio = new double[o.reps()];
      double[] gain = new double[o.reps()];
      for (int r = 0; r < o.reps(); r++) {
        // alternate the order so that a load trend on the machine does not favour one side
        if (r % 2 == 0) {
          alone[r] = annotate(annotator, texts, o.records(), o.batchSize());
          full[r] = topology.recordsPerSecond(annotator, input);
          inMemory[r] = topology.recordsPerSecond(annotator, input, BatchStoreType.IN_MEMORY);
        } else {
          inMemory[r] = topology.recordsPerSecond(annotator, input, BatchStoreType.IN_MEMORY);
          full[r] = topology.recordsPerSecond(annotator, input);
          alone[r] = annotate(annotator, texts, o.records(), o.batchSize());
        }
        pipeline[r] = topology.recordsPerSecond(replay.replaying(), input);
        single[r] = annotate(annotator, texts, o.records(), 1);
        ratio[r] = full[r] / alone[r];
        inMemoryRatio[r] = inMemory[r] / alone[r];
        gain[r] = alone[r] / single[r];
        out.printf(
            "  rep %d: annotator %.1f, topology %.1f (in-memory store %.1f), pipeline alone %.0f,"
                + " batch 1 %.1f records/s%n",
            r + 1, alone[r], full[r], inMemory[r], pipeline[r], single[r]);
        out.flush();
      }
      Result result =
          new Result(
              Stats.of(alone),
              Stats.of(full),
              Stats.of(inMemory),
              Stats.of(pipeline),
              Stats.of(single),
              Stats.of(ratio),
              Stats.of(inMemoryRatio),
              Stats.of(gain));
      print(result, o, out);
      return result;
    }
  }

  private static void print(Result r, Options o, PrintWriter out) {
    int b = o.batchSize();
    line(out, "annotator alone, batch " + b, "records/s", r.annotator().format("%.1f"), "");
    line(out, "topology, batch " + b, "records/s", r.topology().format("%.1f"), "");
    line(
        out,
        "  with IN_MEMORY store",
        "records/s",
        r.topologyInMemory().format("%.1f"),
        "batch.store.type=IN_MEMORY");
    line(
        out,
        "topology, model replayed",
        "records/s",
        r.pipeline().format("%.0f"),
        String.format(
            "pipeline %.2f ms/record, model %.2f ms/record",
            r.pipelineMsPerRecord(), r.modelMsPerRecord()));
    line(out, "annotator alone, batch 1", "records/s", r.single().format("%.1f"), "");
    line(
        out,
        "topology / annotator",
        "ratio",
        r.topologyRatio().format("%.2f"),
        String.format(
            "target ≥ %.2f: %s", TOPOLOGY_TARGET, r.topologyTargetMet() ? "met" : "NOT met"));
    line(
        out,
        "  with IN_MEMORY store",
        "ratio",
        r.inMemoryRatio().format("%.2f"),
        String.format(
            "target ≥ %.2f: %s",
            TOPOLOGY_TARGET, r.inMemoryRatio().median() >= TOPOLOGY_TARGET ? "met" : "NOT met"));
    line(
        out,
        "batch " + b + " / batch 1",
        "gain",
        r.batchingGain().format("%.2f"),
        String.format(
            "target ≥ %.0f×: %s", BATCHING_TARGET, r.batchingTargetMet() ? "met" : "NOT met"));
    out.flush();
  }

  private static void line(PrintWriter out, String what, String unit, String value, String note) {
    out.println(String.format("%-26s %-9s  %-24s %s", what, unit, value, note).stripTrailing());
  }

  /** Records/s of the annotator alone over {@code records} texts in slices of {@code batch}. */
  private static double annotate(Annotator annotator, BenchTexts texts, int records, int batch) {
    List<String> all = new java.util.ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      all.add(texts.text(i));
    }
    long start = System.nanoTime();
    for (int from = 0; from < records; from += batch) {
      List<Annotation> unused =
          annotator.annotate(all.subList(from, Math.min(records, from + batch)));
      if (unused.isEmpty()) {
        throw new IllegalStateException("the annotator returned nothing");
      }
    }
    return records / ((System.nanoTime() - start) / 1e9);
  }
}
