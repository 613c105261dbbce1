package dev.strata.model.weights;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps tensor names of the published formats to canonical Hugging Face BERT names (see {@link
 * Tensor}). Each method returns {@code null} for tensors the encoder does not use (pooler, MLM
 * head, position-id buffers, optimizer slots), which readers then leave out.
 */
public final class CanonicalNames {
  private static final Pattern TF_LAYER = Pattern.compile("layer_(\\d+)");

  private CanonicalNames() {}

  /**
   * A Hugging Face (safetensors or ONNX initializer) name: strips a leading {@code bert.}, maps
   * {@code LayerNorm.gamma/beta} to {@code LayerNorm.weight/bias}, keeps only {@code embeddings.}
   * and {@code encoder.} tensors.
   */
  public static String fromHuggingFace(String name) {
    String n = name.startsWith("bert.") ? name.substring("bert.".length()) : name;
    if (!(n.startsWith("embeddings.") || n.startsWith("encoder."))) {
      return null;
    }
    if (n.endsWith("position_ids")) {
      return null;
    }
    if (n.endsWith("LayerNorm.gamma")) {
      n = n.substring(0, n.length() - "gamma".length()) + "weight";
    } else if (n.endsWith("LayerNorm.beta")) {
      n = n.substring(0, n.length() - "beta".length()) + "bias";
    }
    return n;
  }

  /**
   * A TensorFlow variable name such as {@code
   * module/bert/encoder/layer_3/attention/self/query/kernel}. Anything before {@code bert/} is
   * dropped. Kernels become {@code .weight} and must be transposed by the caller ({@link
   * #isTfKernel}).
   */
  public static String fromTensorFlow(String name) {
    int at = 0;
    if (!name.startsWith("bert/")) {
      int i = name.indexOf("/bert/");
      if (i < 0) {
        return null;
      }
      at = i + 1;
    }
    String n = name.substring(at + "bert/".length());
    if (!(n.startsWith("embeddings/") || n.startsWith("encoder/"))) {
      return null;
    }
    Matcher m = TF_LAYER.matcher(n);
    n = m.replaceAll("layer/$1");
    n = n.replace('/', '.');
    if (n.endsWith("_embeddings")) {
      return n + ".weight";
    }
    int dot = n.lastIndexOf('.');
    String leaf = n.substring(dot + 1);
    String base = n.substring(0, dot);
    return switch (leaf) {
      case "gamma", "kernel" -> base + ".weight";
      case "beta", "bias" -> base + ".bias";
      default -> null;
    };
  }

  /** Whether a TensorFlow variable is a dense kernel stored {@code [in, out]}. */
  public static boolean isTfKernel(String name) {
    return name.endsWith("/kernel");
  }

  /**
   * The canonical weight name for an ONNX MatMul node such as {@code
   * /encoder/layer.0/attention/self/query/MatMul}, or {@code null} if the node is not part of the
   * encoder.
   */
  public static String fromOnnxMatMulNode(String nodeName) {
    String n = nodeName.startsWith("/") ? nodeName.substring(1) : nodeName;
    if (n.endsWith("_output_0")) {
      n = n.substring(0, n.length() - "_output_0".length());
    }
    if (!n.endsWith("/MatMul")) {
      return null;
    }
    n = n.substring(0, n.length() - "/MatMul".length());
    if (n.startsWith("bert/")) {
      n = n.substring("bert/".length());
    }
    if (!(n.startsWith("encoder/") || n.startsWith("embeddings/"))) {
      return null;
    }
    return n.replace('/', '.') + ".weight";
  }
}
