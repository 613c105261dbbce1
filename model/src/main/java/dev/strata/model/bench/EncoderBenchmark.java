package dev.strata.model.bench;

import dev.strata.model.backbone.BackboneSpec;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.backbone.MavenArtifacts;
import dev.strata.model.backbone.WeightFormat;
import dev.strata.model.encoder.BertConfig;
import dev.strata.model.encoder.HiddenStates;
import dev.strata.model.encoder.TokenBatch;
import dev.strata.model.reference.BackboneVerifier;
import dev.strata.model.reference.OnnxReference;
import dev.strata.model.reference.ReferenceEncoder;
import dev.strata.model.text.Encoding;
import dev.strata.model.text.OverflowPolicy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Encoder throughput at several batch sizes, side by side with ONNX Runtime on the same ONNX model,
 * the same batches and the same thread count, in one process. Repetitions alternate between the two
 * runtimes so that machine noise hits both alike; ratios are taken per repetition pair.
 */
public final class EncoderBenchmark {

  /**
   * @param backbones names to measure
   * @param batchSizes batch sizes
   * @param repetitions timed repetitions per batch size (each runs {@code sentencesPerRep})
   * @param sentencesPerRep sentences encoded per repetition
   * @param threads intra-op threads for both runtimes
   * @param compareOrt whether to run ONNX Runtime beside ONNX backbones
   */
  public record Options(
      List<String> backbones,
      int[] batchSizes,
      int repetitions,
      int sentencesPerRep,
      int threads,
      boolean compareOrt) {
    public Options {
      Objects.requireNonNull(backbones, "backbones");
      Objects.requireNonNull(batchSizes, "batchSizes");
      if (repetitions < 1 || sentencesPerRep < 1 || threads < 1) {
        throw new IllegalArgumentException("repetitions, sentencesPerRep and threads must be >= 1");
      }
    }
  }

  private EncoderBenchmark() {}

  /** Runs the benchmark and prints a table per backbone. */
  public static void run(Options o, PrintWriter out) {
    double[] peak = GemmPeak.measure(1024, 7);
    Stats peakStats = Stats.of(peak);
    out.printf(
        "GEMM peak (DJL/PyTorch fp32 1024^3, %d intra-op threads): %s GFLOP/s%n",
        o.threads(), peakStats.format("%.1f"));
    out.flush();
    for (String name : o.backbones()) {
      runBackbone(name, o, peakStats.median(), out);
    }
  }

  private static void runBackbone(String name, Options o, double peak, PrintWriter out) {
    try (LoadedBackbone bb = LoadedBackbone.open(name, "cpu")) {
      BackboneSpec spec = bb.spec();
      BertConfig c = bb.encoder().config();
      List<Encoding> pool = sentencePool(bb, Math.max(o.sentencesPerRep(), 64));
      OnnxReference ort = null;
      try {
        if (o.compareOrt() && spec.format() == WeightFormat.ONNX) {
          Path jar = MavenArtifacts.fromEnvironment().resolve(spec.coordinates());
          ort = new OnnxReference(jar, o.threads());
        }
        out.printf(
            "%n%s: %d layers x %d, load %d ms, %d threads, %d sentences/rep, %d reps%n",
            spec.name(),
            c.layers(),
            c.hidden(),
            bb.loadMillis(),
            o.threads(),
            o.sentencesPerRep(),
            o.repetitions());
        out.printf(
            "%5s %8s %22s %22s %10s %8s %22s %22s%n",
            "batch",
            "tok/sent",
            "ours sent/s",
            "ours tok/s",
            "GFLOP/s",
            "%peak",
            ort == null ? "ORT sent/s" : "ORT sent/s",
            "ours/ORT");
        for (int b : o.batchSizes()) {
          List<TokenBatch> batches = batches(pool, b, o.sentencesPerRep());
          long realTokens = batches.stream().mapToLong(TokenBatch::realTokens).sum();
          double flops = batches.stream().mapToDouble(tb -> flops(c, tb)).sum();
          runOurs(bb, batches); // warm-up
          if (ort != null) {
            runOrt(ort, batches);
          }
          double[] ours = new double[o.repetitions()];
          double[] theirs = new double[o.repetitions()];
          double[] ratio = new double[o.repetitions()];
          for (int r = 0; r < o.repetitions(); r++) {
            ours[r] = runOurs(bb, batches);
            if (ort != null) {
              theirs[r] = runOrt(ort, batches);
              ratio[r] = theirs[r] / ours[r];
            }
          }
          int sentences = batches.stream().mapToInt(TokenBatch::size).sum();
          Stats oursS = Stats.of(perSecond(ours, sentences));
          Stats oursT = Stats.of(perSecond(ours, realTokens));
          double gflops = flops / Stats.of(ours).median();
          out.printf(
              "%5d %8.1f %22s %22s %10.1f %7.0f%% %22s %22s%n",
              b,
              (double) realTokens / sentences,
              oursS.format("%.1f"),
              oursT.format("%.0f"),
              gflops,
              100 * gflops / peak,
              ort == null ? "-" : Stats.of(perSecond(theirs, sentences)).format("%.1f"),
              ort == null ? "-" : Stats.of(ratio).format("%.2f"));
          out.flush();
        }
      } finally {
        if (ort != null) {
          ort.close();
        }
      }
    }
  }

  /** Sentences cycled from the built-in set until {@code n} encodings exist. */
  private static List<Encoding> sentencePool(LoadedBackbone bb, int n) {
    List<String> base = BackboneVerifier.builtInSentences();
    List<Encoding> pool = new ArrayList<>(n);
    for (int i = 0; pool.size() < n; i++) {
      String s = base.get(i % base.size());
      pool.addAll(bb.tokenizer().fit(bb.tokenizer().encode(s), 128, OverflowPolicy.TRUNCATE));
    }
    return pool.subList(0, n);
  }

  private static List<TokenBatch> batches(List<Encoding> pool, int b, int total) {
    List<TokenBatch> out = new ArrayList<>();
    int done = 0;
    int cursor = 0;
    while (done < total) {
      int size = Math.min(b, total - done);
      List<Encoding> rows = new ArrayList<>(size);
      for (int i = 0; i < size; i++) {
        rows.add(pool.get(cursor++ % pool.size()));
      }
      out.add(TokenBatch.of(rows));
      done += size;
    }
    return out;
  }

  /** Nanoseconds to encode all batches with our encoder. */
  private static double runOurs(LoadedBackbone bb, List<TokenBatch> batches) {
    long t0 = System.nanoTime();
    for (TokenBatch tb : batches) {
      try (HiddenStates hs = bb.encoder().forward(tb)) {
        hs.states().get(hs.count() - 1).getFloat(0, 0, 0);
      }
    }
    return System.nanoTime() - t0;
  }

  private static double runOrt(OnnxReference ort, List<TokenBatch> batches) {
    List<int[][][]> inputs = new ArrayList<>();
    for (TokenBatch tb : batches) {
      inputs.add(new int[][][] {ReferenceEncoder.ids(tb), ReferenceEncoder.mask(tb)});
    }
    long t0 = System.nanoTime();
    for (int[][][] in : inputs) {
      ort.lastLayer(in[0], in[1]);
    }
    return System.nanoTime() - t0;
  }

  private static double[] perSecond(double[] nanos, double units) {
    double[] out = new double[nanos.length];
    for (int i = 0; i < nanos.length; i++) {
      out[i] = units / (nanos[i] / 1e9);
    }
    return out;
  }

  /** Multiply-add FLOPs of one padded batch through all layers (projections + attention). */
  static double flops(BertConfig c, TokenBatch tb) {
    double bt = (double) tb.size() * tb.seqLen();
    double h = c.hidden();
    double f = c.intermediate();
    double perLayer = 2 * bt * (4 * h * h + 2 * h * f) + 4 * bt * tb.seqLen() * h;
    return perLayer * c.layers();
  }
}
