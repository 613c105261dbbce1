package dev.strata.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.model.testing.TestJars;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the real all-MiniLM-L6-v2 ONNX model from its langchain4j jar (6 layers, H=384). */
class OnnxReaderTest {
  private static final int H = 384;
  private static final int I = 1536;
  private static Path jar;
  private static OnnxReader reader;

  @BeforeAll
  static void open() {
    jar = TestJars.jarContaining(TestJars.MINILM_ONNX_ENTRY);
    reader = OnnxReader.open(jar);
  }

  @AfterAll
  static void close() {
    reader.close();
  }

  @Test
  void sourceNamesJarAndEntry() {
    assertThat(reader.source()).endsWith("!" + TestJars.MINILM_ONNX_ENTRY);
    assertThat(JarEntries.findOne(jar, "tokenizer.json"))
        .isEqualTo("all-minilm-l6-v2-tokenizer.json");
  }

  @Test
  void embeddingsHaveHuggingFaceShapes() {
    BertTensorChecks.requireEmbeddings(reader, 30522, H);
  }

  @Test
  void allSixLayersPresentWithOutInShapes() {
    BertTensorChecks.requireEncoderLayers(reader, 6, H, I);
    assertThat(reader.names()).hasSize(5 + 6 * 16);
    assertThat(reader.names()).noneMatch(n -> n.contains("layer.6"));
  }

  @Test
  void matMulWeightsComeFromAnonymousInitializersAndAreTransposed() {
    String name = "encoder.layer.0.intermediate.dense.weight";
    assertThat(reader.onnxName(name)).startsWith("onnx::MatMul_");
    assertThat(reader.tensor(name).toArray()).hasSize(I * H);
    // Distinct q/k/v matrices per layer (a mapping mix-up would make two of them equal).
    assertThat(reader.tensor("encoder.layer.0.attention.self.query.weight").toArray())
        .isNotEqualTo(reader.tensor("encoder.layer.0.attention.self.key.weight").toArray());
    assertThat(reader.onnxName("encoder.layer.0.attention.self.query.bias"))
        .isEqualTo("encoder.layer.0.attention.self.query.bias");
  }

  @Test
  void handBuiltModelShowsTransposeFloatDataAndExternalData(@TempDir Path dir) throws Exception {
    byte[] weight =
        Proto.msg(
            Proto.varint(1, 2),
            Proto.varint(1, 3),
            Proto.varint(2, 1),
            Proto.str(8, "onnx::MatMul_7"),
            Proto.bytes(9, Proto.floatsLe(1, 2, 3, 4, 5, 6)));
    byte[] bias =
        Proto.msg(
            Proto.varint(1, 3),
            Proto.varint(2, 1),
            Proto.bytes(4, Proto.floatsLe(0.5f, -1, 2)),
            Proto.str(8, "encoder.layer.0.attention.self.query.bias"));
    byte[] node =
        Proto.msg(
            Proto.str(1, "/embeddings/LayerNorm/Add_1_output_0"),
            Proto.str(1, "onnx::MatMul_7"),
            Proto.str(2, "/encoder/layer.0/attention/self/query/MatMul_output_0"),
            Proto.str(3, "/encoder/layer.0/attention/self/query/MatMul"),
            Proto.str(4, "MatMul"));
    byte[] graph = Proto.msg(Proto.bytes(1, node), Proto.bytes(5, weight), Proto.bytes(5, bias));
    Path onnx = dir.resolve("tiny.onnx");
    Files.write(onnx, Proto.msg(Proto.varint(1, 8), Proto.bytes(7, graph)));

    try (OnnxReader tiny = OnnxReader.open(onnx)) {
      Tensor q = tiny.tensor("encoder.layer.0.attention.self.query.weight", 3, 2);
      // stored [in=2, out=3] = [[1,2,3],[4,5,6]] -> [out, in] = [[1,4],[2,5],[3,6]]
      assertThat(q.toArray()).containsExactly(1, 4, 2, 5, 3, 6);
      assertThat(tiny.tensor("encoder.layer.0.attention.self.query.bias").toArray())
          .containsExactly(0.5f, -1, 2);
    }

    byte[] external =
        Proto.msg(
            Proto.varint(1, 3),
            Proto.varint(2, 1),
            Proto.str(8, "encoder.layer.0.output.dense.bias"),
            Proto.varint(14, 1));
    Path ext = dir.resolve("ext.onnx");
    Files.write(ext, Proto.msg(Proto.bytes(7, Proto.msg(Proto.bytes(5, external)))));
    assertThatThrownBy(() -> OnnxReader.open(ext))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(ext.toString())
        .hasMessageContaining("'encoder.layer.0.output.dense.bias'")
        .hasMessageContaining("external data");
  }

  /** Just enough protobuf writing to build test models. */
  private static final class Proto {
    static byte[] msg(byte[]... fields) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      for (byte[] f : fields) {
        out.writeBytes(f);
      }
      return out.toByteArray();
    }

    static void rawVarint(java.io.ByteArrayOutputStream out, long v) {
      while ((v & ~0x7fL) != 0) {
        out.write((int) ((v & 0x7f) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    static byte[] varint(int field, long v) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      rawVarint(out, (long) field << 3);
      rawVarint(out, v);
      return out.toByteArray();
    }

    static byte[] bytes(int field, byte[] b) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      rawVarint(out, ((long) field << 3) | 2);
      rawVarint(out, b.length);
      out.writeBytes(b);
      return out.toByteArray();
    }

    static byte[] str(int field, String s) {
      return bytes(field, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static byte[] floatsLe(float... v) {
      java.nio.ByteBuffer b =
          java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        b.putFloat(f);
      }
      return b.array();
    }
  }

  @Test
  void layerNormGammasAreNearOne() {
    float[] g = reader.tensor("encoder.layer.5.output.LayerNorm.weight").toArray();
    assertThat(BertTensorChecks.mean(g)).isBetween(0.3, 3.0);
  }

  @Test
  void plainOnnxFileIsAcceptedAndMissingModelIsReported(@TempDir Path dir) throws Exception {
    Path onnx = dir.resolve("m.onnx");
    Files.write(onnx, JarEntries.read(jar, TestJars.MINILM_ONNX_ENTRY));
    try (OnnxReader plain = OnnxReader.open(onnx)) {
      assertThat(plain.names()).isEqualTo(reader.names());
      assertThat(plain.tensor("encoder.layer.3.output.dense.weight").toArray())
          .isEqualTo(reader.tensor("encoder.layer.3.output.dense.weight").toArray());
    }
    Path notOnnx = dir.resolve("x.onnx");
    Files.write(notOnnx, new byte[] {8, 7});
    assertThatThrownBy(() -> OnnxReader.open(notOnnx))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(notOnnx.toString());
  }
}
