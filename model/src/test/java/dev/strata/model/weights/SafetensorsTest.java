package dev.strata.model.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  private static Tensor tensor(String name, long[] shape, float... values) {
    return new Tensor(name, shape, FloatBuffer.wrap(values));
  }

  /** A valid file holding the F32 tensor {@code embeddings.x.weight} = [1, 2]. */
  private Path oneTensorFile(String fileName) {
    Path file = dir.resolve(fileName);
    SafetensorsWriter.write(
        file, List.of(tensor("embeddings.x.weight", new long[] {2}, 1, 2)), Map.of());
    return file;
  }

  /** Writes a safetensors file by hand: header JSON as given, then the data bytes. */
  private Path craft(String fileName, String headerJson, byte[] data) throws IOException {
    byte[] header = headerJson.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b =
        ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length).put(header).put(data);
    Path p = dir.resolve(fileName);
    Files.write(p, b.array());
    return p;
  }

  private static byte[] shorts(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  @Test
  void roundTripKeepsNamesShapesValuesAndMetadata() throws Exception {
    Tensor a = tensor("embeddings.word_embeddings.weight", new long[] {3, 2}, 1, 2, 3, 4, 5, -6.5f);
    Tensor b = tensor("encoder.layer.0.output.dense.bias", new long[] {4}, 0.25f, -1e-7f, 3e30f, 0);
    Path file = dir.resolve("model.safetensors");

    String sha = SafetensorsWriter.write(file, List.of(b, a), Map.of("format", "pt", "k", "v"));

    assertThat(sha)
        .isEqualTo(
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
    assertThat(dir.toFile().list()).containsExactly("model.safetensors");
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThat(r.names())
          .containsExactly(
              "embeddings.word_embeddings.weight", "encoder.layer.0.output.dense.bias");
      assertThat(r.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "k", "v"));
      assertThat(r.dtype(a.name())).isEqualTo(SafetensorsDType.F32);
      Tensor a2 = r.tensor(a.name());
      assertThat(a2.shape()).containsExactly(3, 2);
      assertThat(a2.toArray()).containsExactly(1, 2, 3, 4, 5, -6.5f);
      assertThat(a2.data().isDirect()).as("F32 is a view of the mapping").isTrue();
      assertThat(r.tensor(b.name(), 4).toArray()).containsExactly(0.25f, -1e-7f, 3e30f, 0);
    }
  }

  @Test
  void perTensorMappingAsUsedForFilesOver2GbReadsTheSameValues() {
    Tensor a = tensor("embeddings.a.weight", new long[] {2, 2}, 1, 2, 3, 4);
    Tensor b = tensor("embeddings.b.weight", new long[] {3}, 5, 6, 7);
    Path file = dir.resolve("split.safetensors");
    SafetensorsWriter.write(file, List.of(a, b), Map.of());
    try (SafetensorsReader r = SafetensorsReader.open(file, 0)) {
      assertThat(r.tensor("embeddings.a.weight").toArray()).containsExactly(1, 2, 3, 4);
      assertThat(r.tensor("embeddings.b.weight").toArray()).containsExactly(5, 6, 7);
    }
  }

  @Test
  void outputIsDeterministic() {
    Tensor a = tensor("embeddings.a.weight", new long[] {2}, 1, 2);
    Tensor b = tensor("embeddings.b.weight", new long[] {1}, 3);
    String one = SafetensorsWriter.write(dir.resolve("1.safetensors"), List.of(a, b), Map.of());
    String two = SafetensorsWriter.write(dir.resolve("2.safetensors"), List.of(b, a), Map.of());
    assertThat(one).isEqualTo(two);
  }

  @Test
  void halfAndBfloat16AreConvertedOnRead() throws Exception {
    // F16: 1, -2, 0.5, 65504 (max), 2^-24 (smallest subnormal), +inf
    byte[] f16 = shorts(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x7C00);
    // BF16: 1, -2, 3.140625, 1e38-ish (0x7E96 = 9.969209968386869e36)
    byte[] bf16 = shorts(0x3F80, 0xC000, 0x4049, 0x7E96);
    byte[] data = new byte[f16.length + bf16.length];
    System.arraycopy(f16, 0, data, 0, f16.length);
    System.arraycopy(bf16, 0, data, f16.length, bf16.length);
    String header =
        "{\"embeddings.h.weight\":{\"dtype\":\"F16\",\"shape\":[2,3],\"data_offsets\":[0,12]},"
            + "\"embeddings.b.weight\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[12,20]}}";
    try (SafetensorsReader r = SafetensorsReader.open(craft("half.safetensors", header, data))) {
      assertThat(r.tensor("embeddings.h.weight", 2, 3).toArray())
          .containsExactly(1f, -2f, 0.5f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY);
      assertThat(r.tensor("embeddings.b.weight").toArray())
          .containsExactly(1f, -2f, 3.140625f, Float.intBitsToFloat(0x7E960000));
    }
  }

  @Test
  void huggingFaceNamesAreNormalisedAndHeadsIgnored() throws Exception {
    String header =
        "{\"__metadata__\":{\"format\":\"pt\"},"
            + "\"bert.embeddings.LayerNorm.gamma\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"bert.embeddings.LayerNorm.beta\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"bert.embeddings.position_ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[8,16]},"
            + "\"bert.pooler.dense.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},"
            + "\"cls.predictions.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,24]}}";
    try (SafetensorsReader r =
        SafetensorsReader.open(craft("hf.safetensors", header, new byte[24]))) {
      assertThat(r.names())
          .containsExactlyInAnyOrder("embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias");
      assertThat(r.metadata()).containsEntry("format", "pt");
    }
  }

  @Test
  void truncatedFileNamesTheFile() throws Exception {
    Path file = oneTensorFile("t.safetensors");
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, 20));

    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("header length");
  }

  @Test
  void dataCutShortNamesFileAndTensor() throws Exception {
    Path file = oneTensorFile("short.safetensors");
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 4));

    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("'embeddings.x.weight'")
        .hasMessageContaining("outside the data section");
  }

  @Test
  void unknownDtypeAndWrongSizeNameTheTensor() throws Exception {
    Path unknown =
        craft(
            "dtype.safetensors",
            "{\"encoder.w\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            new byte[4]);
    assertThatThrownBy(() -> SafetensorsReader.open(unknown))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(unknown.toString())
        .hasMessageContaining("'encoder.w'")
        .hasMessageContaining("unknown dtype 'F12'");

    Path wrong =
        craft(
            "count.safetensors",
            "{\"encoder.w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}",
            new byte[8]);
    assertThatThrownBy(() -> SafetensorsReader.open(wrong))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining("'encoder.w'")
        .hasMessageContaining("needs 12");
  }

  @Test
  void headerThatIsNotJsonIsReported() throws Exception {
    Path file = craft("json.safetensors", "{not json", new byte[0]);
    assertThatThrownBy(() -> SafetensorsReader.open(file))
        .isInstanceOf(WeightFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void missingTensorAndWrongShapeNameFileAndTensor() throws Exception {
    Path file = oneTensorFile("m.safetensors");
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThatThrownBy(() -> r.tensor("encoder.layer.0.output.dense.weight"))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("'encoder.layer.0.output.dense.weight'")
          .hasMessageContaining("no such tensor");
      assertThatThrownBy(() -> r.tensor("embeddings.x.weight", 3))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("expected [3] but the file has [2]");
    }
  }

  @Test
  void nonFloatTensorsCannotBeReadAsFloat() throws Exception {
    Path file =
        craft(
            "int.safetensors",
            "{\"encoder.ids\":{\"dtype\":\"I32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
            new byte[4]);
    try (SafetensorsReader r = SafetensorsReader.open(file)) {
      assertThatThrownBy(() -> r.tensor("encoder.ids"))
          .isInstanceOf(WeightFileException.class)
          .hasMessageContaining("'encoder.ids'")
          .hasMessageContaining("F32, F16 or BF16");
    }
  }
}
