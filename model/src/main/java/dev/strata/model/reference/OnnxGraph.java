package dev.strata.model.reference;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link OnnxReference} needs to know about an ONNX model's graph: its inputs, its outputs,
 * and which tensor each node writes. Also adds graph outputs to serialized model bytes.
 *
 * <p>Field numbers (onnx.proto): ModelProto.graph = 7; GraphProto.node = 1, input = 11, output =
 * 12; NodeProto.output = 2, name = 3; ValueInfoProto.name = 1.
 */
final class OnnxGraph {

  private static final int MODEL_GRAPH = 7;
  private static final int GRAPH_NODE = 1;
  private static final int GRAPH_INPUT = 11;
  private static final int GRAPH_OUTPUT = 12;
  private static final int NODE_OUTPUT = 2;
  private static final int NODE_NAME = 3;
  private static final int VALUE_INFO_NAME = 1;

  private final List<String> inputs;
  private final List<String> outputs;
  private final Map<String, String> firstOutputByNode;
  private final List<String> tensorNames;

  private OnnxGraph(
      List<String> inputs,
      List<String> outputs,
      Map<String, String> firstOutputByNode,
      List<String> tensorNames) {
    this.inputs = List.copyOf(inputs);
    this.outputs = List.copyOf(outputs);
    this.firstOutputByNode = Map.copyOf(firstOutputByNode);
    this.tensorNames = List.copyOf(tensorNames);
  }

  /**
   * Reads the graph of a serialized ModelProto (several graph fields are merged, as protobuf does).
   */
  static OnnxGraph parse(byte[] model) {
    Objects.requireNonNull(model, "model");
    List<String> inputs = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    Map<String, String> firstOutputByNode = new LinkedHashMap<>();
    List<String> tensorNames = new ArrayList<>();
    ProtoReader modelReader = new ProtoReader(model);
    while (modelReader.next()) {
      if (modelReader.field() != MODEL_GRAPH) {
        continue;
      }
      ProtoReader graph = modelReader.message();
      while (graph.next()) {
        switch (graph.field()) {
          case GRAPH_NODE -> readNode(graph.message(), firstOutputByNode, tensorNames);
          case GRAPH_INPUT -> inputs.add(valueInfoName(graph.message()));
          case GRAPH_OUTPUT -> outputs.add(valueInfoName(graph.message()));
          default -> {}
        }
      }
    }
    if (tensorNames.isEmpty()) {
      throw new IllegalArgumentException(
          "the ONNX model has no graph nodes; give a complete .onnx model");
    }
    return new OnnxGraph(inputs, outputs, firstOutputByNode, tensorNames);
  }

  private static void readNode(
      ProtoReader node, Map<String, String> firstOutputByNode, List<String> tensorNames) {
    String name = "";
    String firstOutput = null;
    while (node.next()) {
      if (node.field() == NODE_OUTPUT) {
        String output = node.string();
        tensorNames.add(output);
        if (firstOutput == null) {
          firstOutput = output;
        }
      } else if (node.field() == NODE_NAME) {
        name = node.string();
      }
    }
    if (!name.isEmpty() && firstOutput != null) {
      firstOutputByNode.put(name, firstOutput);
    }
  }

  private static String valueInfoName(ProtoReader valueInfo) {
    while (valueInfo.next()) {
      if (valueInfo.field() == VALUE_INFO_NAME) {
        return valueInfo.string();
      }
    }
    return "";
  }

  /** Names of the graph inputs (initializers listed as inputs by old exporters included). */
  List<String> inputs() {
    return inputs;
  }

  /** Names of the graph outputs. */
  List<String> outputs() {
    return outputs;
  }

  /** Every tensor name some node writes, in graph order. */
  List<String> tensorNames() {
    return tensorNames;
  }

  /** The first output of the node with this name, or null. */
  String firstOutputOf(String nodeName) {
    return firstOutputByNode.get(nodeName);
  }

  /** Whether some node writes a tensor of this name. */
  boolean hasTensor(String tensorName) {
    return tensorNames.contains(tensorName);
  }

  /**
   * The model bytes with extra graph outputs, by appending {@code ModelProto{graph{output{name}}}}:
   * protobuf merges a repeated message field by concatenation, so the outputs are added to the
   * existing ones.
   */
  static byte[] withExtraOutputs(byte[] model, List<String> names) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(names, "names");
    if (names.isEmpty()) {
      return model;
    }
    ByteArrayOutputStream graph = new ByteArrayOutputStream();
    for (String name : names) {
      byte[] valueInfo = lengthDelimited(VALUE_INFO_NAME, name.getBytes(StandardCharsets.UTF_8));
      graph.writeBytes(lengthDelimited(GRAPH_OUTPUT, valueInfo));
    }
    byte[] suffix = lengthDelimited(MODEL_GRAPH, graph.toByteArray());
    byte[] merged = new byte[model.length + suffix.length];
    System.arraycopy(model, 0, merged, 0, model.length);
    System.arraycopy(suffix, 0, merged, model.length, suffix.length);
    return merged;
  }

  private static byte[] lengthDelimited(int field, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 8);
    writeVarint(out, ((long) field << 3) | ProtoReader.LENGTH_DELIMITED);
    writeVarint(out, payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
