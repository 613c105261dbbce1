package dev.strata.model.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnnxGraphTest {

  @Test
  void readsNodesInputsAndOutputs() {
    OnnxGraph graph = OnnxGraph.parse(TinyOnnx.model("/embeddings/LayerNorm/Add_1", "h0"));

    assertThat(graph.inputs()).containsExactly("input_ids");
    assertThat(graph.outputs()).containsExactly("h0");
    assertThat(graph.firstOutputOf("/embeddings/LayerNorm/Add_1")).isEqualTo("h0");
    assertThat(graph.hasTensor("h0")).isTrue();
  }

  @Test
  void appendedOutputsMergeIntoTheGraph() {
    byte[] model = TinyOnnx.model("/a/Add", "a_out");

    byte[] merged = OnnxGraph.withExtraOutputs(model, List.of("x", "a very long name ".repeat(10)));

    assertThat(OnnxGraph.parse(merged).outputs())
        .containsExactly("a_out", "x", "a very long name ".repeat(10));
    assertThat(OnnxGraph.parse(merged).tensorNames()).containsExactly("a_out");
  }

  @Test
  void resolvesTheLastLayerByNodeNameWhenItWasRenamed() {
    byte[] model =
        TinyOnnx.concat(
            TinyOnnx.model("/embeddings/LayerNorm/Add_1", "/embeddings/LayerNorm/Add_1_output_0"),
            TinyOnnx.model(
                "/encoder/layer.0/output/LayerNorm/Add_1",
                "/encoder/layer.0/output/LayerNorm/Add_1_output_0"),
            TinyOnnx.model("/encoder/layer.1/output/LayerNorm/Add_1", "last_hidden_state"));

    assertThat(OnnxStateNames.resolve(OnnxGraph.parse(model), "tiny"))
        .containsExactly(
            "/embeddings/LayerNorm/Add_1_output_0",
            "/encoder/layer.0/output/LayerNorm/Add_1_output_0",
            "last_hidden_state");
  }

  @Test
  void rejectsTruncatedBytes() {
    byte[] model = TinyOnnx.model("/a/Add", "a_out");

    assertThatThrownBy(() -> OnnxGraph.parse(Arrays.copyOf(model, model.length - 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid protobuf message");
  }
}
