package dev.strata.model.reference;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Finds the tensor that holds each hidden state in a Hugging Face BERT export: the output of the
 * embedding LayerNorm, then of each layer's output LayerNorm.
 *
 * <p>Nodes are looked up by name ({@code /embeddings/LayerNorm/Add_1}, {@code
 * /encoder/layer.i/output/LayerNorm/Add_1}) because the exporter renames the last layer's output to
 * the graph output ({@code last_hidden_state}); tensors named {@code <node>_output_0} are accepted
 * too.
 */
final class OnnxStateNames {

  static final String EMBEDDINGS_NODE = "/embeddings/LayerNorm/Add_1";
  static final String LAYER_NODE = "/encoder/layer.%d/output/LayerNorm/Add_1";
  private static final String OUTPUT_SUFFIX = "_output_0";
  private static final int MAX_LISTED = 40;

  private OnnxStateNames() {}

  /**
   * The L+1 tensor names, embeddings first.
   *
   * @throws IllegalArgumentException listing the LayerNorm outputs found when the embedding or the
   *     first layer output is missing
   */
  static List<String> resolve(OnnxGraph graph, String modelName) {
    List<String> names = new ArrayList<>();
    String embeddings = tensorOf(graph, EMBEDDINGS_NODE);
    if (embeddings == null) {
      throw missing(graph, modelName, EMBEDDINGS_NODE + OUTPUT_SUFFIX);
    }
    names.add(embeddings);
    for (int layer = 0; ; layer++) {
      String tensor = tensorOf(graph, String.format(LAYER_NODE, layer));
      if (tensor == null) {
        if (layer == 0) {
          throw missing(graph, modelName, String.format(LAYER_NODE, 0) + OUTPUT_SUFFIX);
        }
        return List.copyOf(names);
      }
      names.add(tensor);
    }
  }

  private static String tensorOf(OnnxGraph graph, String nodeName) {
    String byNode = graph.firstOutputOf(nodeName);
    if (byNode != null) {
      return byNode;
    }
    String byTensor = nodeName + OUTPUT_SUFFIX;
    return graph.hasTensor(byTensor) ? byTensor : null;
  }

  private static IllegalArgumentException missing(
      OnnxGraph graph, String modelName, String wanted) {
    List<String> layerNorms =
        graph.tensorNames().stream().filter(n -> n.contains("LayerNorm")).toList();
    String found =
        layerNorms.isEmpty()
            ? "no LayerNorm tensors at all; first tensors: "
                + graph.tensorNames().stream().limit(MAX_LISTED).collect(Collectors.joining(", "))
            : "LayerNorm tensors found: "
                + layerNorms.stream().limit(MAX_LISTED).collect(Collectors.joining(", "))
                + (layerNorms.size() > MAX_LISTED
                    ? " … (" + (layerNorms.size() - MAX_LISTED) + " more)"
                    : "");
    return new IllegalArgumentException(
        "ONNX model "
            + modelName
            + " has no tensor "
            + wanted
            + ", so its hidden states cannot be read layer by layer; expected a Hugging Face BERT"
            + " export (as in the langchain4j embeddings jars). "
            + found);
  }
}
