package dev.strata.model.weights;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CanonicalNamesTest {
  @Test
  void tensorFlowNames() {
    assertThat(CanonicalNames.fromTensorFlow("module/bert/embeddings/word_embeddings"))
        .isEqualTo("embeddings.word_embeddings.weight");
    assertThat(CanonicalNames.fromTensorFlow("module/bert/embeddings/LayerNorm/gamma"))
        .isEqualTo("embeddings.LayerNorm.weight");
    assertThat(CanonicalNames.fromTensorFlow("module/bert/encoder/layer_11/output/LayerNorm/beta"))
        .isEqualTo("encoder.layer.11.output.LayerNorm.bias");
    assertThat(
            CanonicalNames.fromTensorFlow(
                "module/bert/encoder/layer_3/attention/self/query/kernel"))
        .isEqualTo("encoder.layer.3.attention.self.query.weight");
    assertThat(CanonicalNames.fromTensorFlow("bert/encoder/layer_0/intermediate/dense/bias"))
        .isEqualTo("encoder.layer.0.intermediate.dense.bias");
    assertThat(CanonicalNames.fromTensorFlow("module/bert/pooler/dense/kernel")).isNull();
    assertThat(CanonicalNames.fromTensorFlow("module/cls/predictions/output_bias")).isNull();
    assertThat(CanonicalNames.fromTensorFlow("global_step")).isNull();
  }

  @Test
  void onnxMatMulNodes() {
    assertThat(CanonicalNames.fromOnnxMatMulNode("/encoder/layer.5/attention/self/key/MatMul"))
        .isEqualTo("encoder.layer.5.attention.self.key.weight");
    assertThat(CanonicalNames.fromOnnxMatMulNode("/encoder/layer.0/output/dense/MatMul"))
        .isEqualTo("encoder.layer.0.output.dense.weight");
    assertThat(CanonicalNames.fromOnnxMatMulNode("/encoder/layer.0/attention/self/MatMul_1"))
        .isNull();
    assertThat(CanonicalNames.fromOnnxMatMulNode("/pooler/dense/MatMul")).isNull();
  }

  @Test
  void huggingFaceNames() {
    assertThat(CanonicalNames.fromHuggingFace("bert.encoder.layer.1.output.LayerNorm.gamma"))
        .isEqualTo("encoder.layer.1.output.LayerNorm.weight");
    assertThat(CanonicalNames.fromHuggingFace("embeddings.token_type_embeddings.weight"))
        .isEqualTo("embeddings.token_type_embeddings.weight");
    assertThat(CanonicalNames.fromHuggingFace("bert.pooler.dense.weight")).isNull();
    assertThat(CanonicalNames.fromHuggingFace("embeddings.position_ids")).isNull();
  }
}
