package dev.strata.model.reference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Runs a Hugging Face BERT ONNX export (a langchain4j embeddings jar or an {@code .onnx} file) with
 * ONNX Runtime.
 *
 * <p>Two sessions are built at construction: one with every hidden state added as a graph output
 * and only basic graph optimisations (constant folding, no fusions), for {@link #allLayers}; and
 * one with all optimisations and only the last hidden state, for {@link #lastLayer}. Both use the
 * given intra-op thread count, one inter-op thread and no spinning, so that idle ORT workers do not
 * slow other engines in the same process.
 *
 * <p>Inputs {@code input_ids} and {@code attention_mask} are required; {@code token_type_ids} is
 * fed zeros when the model has it. Runs may be issued from several threads; close once.
 */
public final class OnnxReference implements ReferenceEncoder {

  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final String modelName;
  private final OrtEnvironment environment;
  private final List<String> stateNames;
  private final OrtSession layerSession;
  private final OrtSession fastSession;
  private final boolean hasTokenTypes;

  /**
   * Loads the model.
   *
   * @param model a jar holding exactly one {@code .onnx} entry, or an {@code .onnx} file
   * @param intraOpThreads ONNX Runtime intra-op threads, at least 1
   * @throws IllegalArgumentException if the model is missing, is not a BERT export whose hidden
   *     states can be found by name, or has inputs other than the three BERT ones
   * @throws IllegalStateException if ONNX Runtime cannot create a session
   */
  public OnnxReference(Path model, int intraOpThreads) {
    Objects.requireNonNull(model, "model");
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException(
          "intraOpThreads must be at least 1, got " + intraOpThreads);
    }
    this.modelName = String.valueOf(model.getFileName());
    byte[] bytes = OnnxModelSource.read(model);
    OnnxGraph graph = OnnxGraph.parse(bytes);
    this.stateNames = OnnxStateNames.resolve(graph, modelName);
    this.environment = OrtEnvironment.getEnvironment();

    List<String> extraForLayers = new ArrayList<>(stateNames);
    extraForLayers.removeAll(graph.outputs());
    String last = stateNames.get(stateNames.size() - 1);
    List<String> extraForLast = graph.outputs().contains(last) ? List.of() : List.of(last);

    OrtSession layers = null;
    try {
      layers = createSession(OnnxGraph.withExtraOutputs(bytes, extraForLayers), intraOpThreads);
      this.hasTokenTypes = checkInputs(layers.getInputNames());
      this.fastSession =
          createSession(OnnxGraph.withExtraOutputs(bytes, extraForLast), intraOpThreads);
      this.layerSession = layers;
    } catch (RuntimeException e) {
      closeQuietly(layers, e);
      throw e;
    }
  }

  private OrtSession createSession(byte[] bytes, int threads) {
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      return environment.createSession(bytes, options);
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime cannot load " + modelName + ": " + e.getMessage(), e);
    }
  }

  private boolean checkInputs(Set<String> inputs) {
    Set<String> known = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    if (!inputs.contains(INPUT_IDS)
        || !inputs.contains(ATTENTION_MASK)
        || !known.containsAll(inputs)) {
      throw new IllegalArgumentException(
          "ONNX model "
              + modelName
              + " has inputs "
              + inputs
              + "; a reference BERT needs "
              + INPUT_IDS
              + " and "
              + ATTENTION_MASK
              + " (and optionally "
              + TOKEN_TYPE_IDS
              + "), nothing else");
    }
    return inputs.contains(TOKEN_TYPE_IDS);
  }

  @Override
  public String runtimeName() {
    return "onnxruntime " + environment.getVersion();
  }

  @Override
  public int states() {
    return stateNames.size();
  }

  /** The tensor names read for each state, embeddings first. */
  public List<String> stateTensorNames() {
    return stateNames;
  }

  @Override
  public float[][][][] allLayers(int[][] ids, int[][] mask) {
    PaddedBatch batch = PaddedBatch.of(ids, mask);
    Map<String, float[][][]> out = run(layerSession, ids, mask, new LinkedHashSet<>(stateNames));
    float[][][][] states = new float[stateNames.size()][][][];
    for (int s = 0; s < states.length; s++) {
      states[s] = checked(out.get(stateNames.get(s)), batch, stateNames.get(s));
    }
    return states;
  }

  @Override
  public float[][][] lastLayer(int[][] ids, int[][] mask) {
    PaddedBatch batch = PaddedBatch.of(ids, mask);
    String last = stateNames.get(stateNames.size() - 1);
    return checked(run(fastSession, ids, mask, Set.of(last)).get(last), batch, last);
  }

  private Map<String, float[][][]> run(
      OrtSession session, int[][] ids, int[][] mask, Set<String> fetch) {
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(environment, widen(ids, false)));
      inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(environment, widen(mask, false)));
      if (hasTokenTypes) {
        inputs.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(environment, widen(ids, true)));
      }
      try (OrtSession.Result result = session.run(inputs, fetch)) {
        Map<String, float[][][]> values = new HashMap<>();
        for (String name : fetch) {
          OnnxValue value =
              result
                  .get(name)
                  .orElseThrow(
                      () -> new IllegalStateException("ONNX Runtime returned no output " + name));
          values.put(name, (float[][][]) value.getValue());
        }
        return values;
      }
    } catch (OrtException e) {
      throw new IllegalStateException(
          "ONNX Runtime failed to run " + modelName + ": " + e.getMessage(), e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private static long[][] widen(int[][] values, boolean zeros) {
    long[][] wide = new long[values.length][values[0].length];
    if (!zeros) {
      for (int b = 0; b < values.length; b++) {
        for (int t = 0; t < values[b].length; t++) {
          wide[b][t] = values[b][t];
        }
      }
    }
    return wide;
  }

  private float[][][] checked(float[][][] state, PaddedBatch batch, String name) {
    if (state.length != batch.rows() || state[0].length != batch.tokens()) {
      throw new IllegalStateException(
          "output "
              + name
              + " of "
              + modelName
              + " has shape ["
              + state.length
              + ", "
              + state[0].length
              + ", …], expected ["
              + batch.rows()
              + ", "
              + batch.tokens()
              + ", H]");
    }
    return state;
  }

  @Override
  public void close() {
    RuntimeException failure = null;
    for (OrtSession session : List.of(fastSession, layerSession)) {
      try {
        session.close();
      } catch (OrtException | RuntimeException e) {
        if (failure == null) {
          failure = new IllegalStateException("cannot close ONNX Runtime session", e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static void closeQuietly(OrtSession session, RuntimeException cause) {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (OrtException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
