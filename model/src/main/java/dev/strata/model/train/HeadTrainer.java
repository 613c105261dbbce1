package dev.strata.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.AdamW;
import ai.djl.training.optimizer.Optimizer;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.FusionOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Trains a {@link FusionModel} on cached encoder states: AdamW with warm-up and linear decay,
 * seeded shuffling, masked cross-entropy, dev evaluation every {@code evalEvery} steps, and early
 * stopping that puts the best weights back.
 *
 * <p>Each step runs in its own {@link NDManager}, closed when the step ends.
 */
public final class HeadTrainer {
  private final TrainingConfig config;
  private final DevEvaluator evaluator;
  private final TrainingListener listener;
  private final int lengthBuckets;

  private HeadTrainer(Builder b) {
    this.config = b.config;
    this.evaluator = b.evaluator;
    this.listener = b.listener;
    this.lengthBuckets = b.lengthBuckets;
  }

  /** A builder; the training config is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The hyper-parameters. */
  public TrainingConfig config() {
    return config;
  }

  /**
   * Trains {@code model} (initialised, see {@link FusionModel#initialize(NDManager, int)}) on
   * {@code train}. With an evaluator, the model ends holding the weights of its best dev score.
   */
  public TrainingResult fit(FusionModel model, FeatureBatchSource train) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(train, "train");
    if (!model.isInitialized()) {
      throw new IllegalStateException(
          "the model has no weights; call FusionModel.initialize(manager, seed) or load it first");
    }
    if (train.size() == 0) {
      throw new IllegalArgumentException("the training set is empty");
    }
    long start = System.nanoTime();
    Engine.getInstance().setRandomSeed(config.seed());
    Random shuffle = new Random(config.seed());

    List<Parameter> params = new ArrayList<>();
    for (Parameter p : model.getParameters().values()) {
      if (p.requiresGradient()) {
        if (!p.getArray().hasGradient()) {
          p.getArray().setRequiresGradient(true);
        }
        params.add(p);
      }
    }
    NDManager root = params.get(0).getArray().getManager();
    int total = config.totalSteps(train.size());
    int warmup = Math.round(config.warmupFraction() * total);
    WarmupLinearDecay schedule = new WarmupLinearDecay(config.learningRate(), warmup, total);
    Optimizer optimizer =
        AdamW.builder()
            .optLearningRateTracker(schedule)
            .optWeightDecays(config.weightDecay())
            .build();
    ParameterStore store = new ParameterStore(root, false);

    List<DevPoint> history = new ArrayList<>();
    WeightSnapshot best = null;
    double bestScore = Double.NaN;
    int bestStep = -1;
    int sinceBest = 0;
    boolean stoppedEarly = false;
    double lossSum = 0;
    int lossCount = 0;
    double lastLoss = Double.NaN;
    int step = 0;
    int epoch = 0;
    int[] order = new int[train.size()];
    Arrays.setAll(order, i -> i);

    int[] lengths = lengthBuckets > 0 ? lengths(train) : null;

    training:
    while (step < total) {
      epoch++;
      shuffle(order, shuffle);
      List<int[]> batches = batches(order, lengths, shuffle);
      for (int b = 0; b < batches.size() && step < total; b++) {
        int[] idx = batches.get(b);
        lossSum += step(model, train, store, optimizer, params, root, idx);
        lossCount++;
        step++;
        boolean last = step == total;
        if (step % config.evalEvery() != 0 && !last) {
          continue;
        }
        lastLoss = lossSum / lossCount;
        lossSum = 0;
        lossCount = 0;
        double score = Double.NaN;
        if (evaluator != null) {
          score = evaluator.evaluate(model);
          history.add(new DevPoint(step, score));
          if (best == null || score > bestScore) {
            bestScore = score;
            bestStep = step;
            best = WeightSnapshot.of(model);
            sinceBest = 0;
          } else {
            sinceBest++;
          }
        }
        listener.onProgress(
            new TrainingProgress(
                step, total, epoch, lastLoss, schedule.getNewValue(step), score, bestScore));
        if (config.patience() > 0 && sinceBest >= config.patience() && !last) {
          stoppedEarly = true;
          break training;
        }
      }
    }
    if (best != null) {
      best.restore(model);
    }
    return new TrainingResult(
        step,
        bestScore,
        bestStep,
        history,
        stoppedEarly,
        lastLoss,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static double step(
      FusionModel model,
      FeatureBatchSource train,
      ParameterStore store,
      Optimizer optimizer,
      List<Parameter> params,
      NDManager root,
      int[] idx) {
    try (NDManager manager = root.newSubManager()) {
      FeatureBatch batch = train.batch(manager, idx);
      double loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        FusionOutput out = model.run(store, batch.states(), batch.mask(), true);
        NDArray l = MaskedLoss.total(out, batch);
        collector.backward(l);
        loss = l.getFloat();
      }
      for (Parameter p : params) {
        NDArray weight = p.getArray();
        try (NDArray grad = weight.getGradient()) {
          optimizer.update(p.getId(), weight, grad);
          grad.subi(grad); // PyTorch accumulates gradients: clear them for the next step
        }
      }
      return loss;
    }
  }

  /**
   * The epoch's batches: consecutive slices of the shuffled order or, with length buckets, each
   * window of {@code lengthBuckets} batches sorted by length before slicing (less padding) and the
   * batches then shuffled.
   */
  private List<int[]> batches(int[] order, int[] lengths, Random r) {
    int bs = config.batchSize();
    List<int[]> out = new ArrayList<>();
    if (lengths == null) {
      for (int from = 0; from < order.length; from += bs) {
        out.add(Arrays.copyOfRange(order, from, Math.min(order.length, from + bs)));
      }
      return out;
    }
    int window = lengthBuckets * bs;
    for (int w = 0; w < order.length; w += window) {
      Integer[] slice =
          Arrays.stream(order, w, Math.min(order.length, w + window))
              .boxed()
              .toArray(Integer[]::new);
      Arrays.sort(
          slice, (a, b) -> Integer.compare(lengths[a], lengths[b])); // stable: ties shuffled
      for (int from = 0; from < slice.length; from += bs) {
        int to = Math.min(slice.length, from + bs);
        int[] batch = new int[to - from];
        for (int i = from; i < to; i++) {
          batch[i - from] = slice[i];
        }
        out.add(batch);
      }
    }
    java.util.Collections.shuffle(out, r);
    return out;
  }

  /** Example lengths, or {@code null} when the source does not report them. */
  private static int[] lengths(FeatureBatchSource train) {
    int[] out = new int[train.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = train.length(i);
      if (out[i] < 0) {
        return null;
      }
    }
    return out;
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Builder for {@link HeadTrainer}. */
  public static final class Builder {
    private TrainingConfig config;
    private DevEvaluator evaluator;
    private TrainingListener listener = TrainingListener.none();
    private int lengthBuckets;

    private Builder() {}

    /**
     * Groups examples of similar length into batches to cut padding: every window of {@code
     * batches} batches of the shuffled order is sorted by length, sliced, and the batches are
     * shuffled. 0 (default) = plain shuffled batches. Needs a source that reports {@link
     * FeatureBatchSource#length}; ignored otherwise.
     */
    public Builder optLengthBuckets(int batches) {
      if (batches < 0) {
        throw new IllegalArgumentException("lengthBuckets must be >= 0, got " + batches);
      }
      this.lengthBuckets = batches;
      return this;
    }

    public Builder setConfig(TrainingConfig config) {
      this.config = config;
      return this;
    }

    /** Scores the model on dev every {@code evalEvery} steps; enables early stopping. */
    public Builder optEvaluator(DevEvaluator evaluator) {
      this.evaluator = evaluator;
      return this;
    }

    public Builder optListener(TrainingListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the config is missing
     */
    public HeadTrainer build() {
      if (config == null) {
        throw new IllegalArgumentException("config must be set (TrainingConfig.builder().build())");
      }
      return new HeadTrainer(this);
    }
  }
}
