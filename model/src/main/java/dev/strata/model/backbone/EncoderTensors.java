package dev.strata.model.backbone;

import dev.strata.model.encoder.BertConfig;
import dev.strata.model.weights.TensorStore;
import dev.strata.model.weights.WeightFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tensors a BERT encoder needs, with their canonical shapes, and the architecture implied by a
 * store's tensors.
 */
public final class EncoderTensors {
  private static final Pattern LAYER = Pattern.compile("^encoder\\.layer\\.(\\d+)\\.");

  private EncoderTensors() {}

  /** Every tensor the encoder reads, in a stable order, with its {@code [out, in]} shape. */
  public static Map<String, long[]> expectedShapes(BertConfig c) {
    Objects.requireNonNull(c, "config");
    long h = c.hidden();
    long i = c.intermediate();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h});
    m.put("embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    m.put("embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    m.put("embeddings.LayerNorm.weight", new long[] {h});
    m.put("embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < c.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String qkv : new String[] {"query", "key", "value"}) {
        m.put(p + "attention.self." + qkv + ".weight", new long[] {h, h});
        m.put(p + "attention.self." + qkv + ".bias", new long[] {h});
      }
      m.put(p + "attention.output.dense.weight", new long[] {h, h});
      m.put(p + "attention.output.dense.bias", new long[] {h});
      m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      m.put(p + "intermediate.dense.weight", new long[] {i, h});
      m.put(p + "intermediate.dense.bias", new long[] {i});
      m.put(p + "output.dense.weight", new long[] {h, i});
      m.put(p + "output.dense.bias", new long[] {h});
      m.put(p + "output.LayerNorm.weight", new long[] {h});
      m.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    return m;
  }

  /**
   * Checks that every tensor the encoder needs exists with the right shape.
   *
   * @throws WeightFileException naming the tensor and both shapes
   */
  public static void check(TensorStore store, BertConfig config) {
    for (Map.Entry<String, long[]> e : expectedShapes(config).entrySet()) {
      if (!store.names().contains(e.getKey())) {
        throw new WeightFileException(
            store.source(),
            e.getKey(),
            "missing: the encoder needs it with shape "
                + Arrays.toString(e.getValue())
                + " (config: "
                + config.layers()
                + " layers, hidden "
                + config.hidden()
                + ")");
      }
      store.tensor(e.getKey(), e.getValue());
    }
  }

  /**
   * Sizes read off the tensors of a store.
   *
   * @param layers number of {@code encoder.layer.N} blocks
   * @param hidden width of the word embeddings
   * @param intermediate length of layer 0's intermediate bias
   * @param vocabSize rows of the word embeddings
   * @param maxPositions rows of the position embeddings
   * @param typeVocabSize rows of the token-type embeddings
   */
  public record Dims(
      int layers,
      int hidden,
      int intermediate,
      int vocabSize,
      int maxPositions,
      int typeVocabSize) {}

  /**
   * Reads the architecture sizes off the embedding and layer-0 tensors.
   *
   * @throws WeightFileException if one of those tensors is missing or not of the expected rank
   */
  public static Dims infer(TensorStore store) {
    long[] word = shape(store, "embeddings.word_embeddings.weight", 2);
    long[] pos = shape(store, "embeddings.position_embeddings.weight", 2);
    long[] type = shape(store, "embeddings.token_type_embeddings.weight", 2);
    long[] inter = shape(store, "encoder.layer.0.intermediate.dense.bias", 1);
    TreeSet<Integer> layers = new TreeSet<>();
    for (String n : store.names()) {
      Matcher m = LAYER.matcher(n);
      if (m.find()) {
        layers.add(Integer.parseInt(m.group(1)));
      }
    }
    return new Dims(
        layers.isEmpty() ? 0 : layers.last() + 1,
        (int) word[1],
        (int) inter[0],
        (int) word[0],
        (int) pos[0],
        (int) type[0]);
  }

  private static long[] shape(TensorStore store, String name, int rank) {
    long[] s = store.tensor(name).shape();
    if (s.length != rank) {
      throw new WeightFileException(
          store.source(), name, "has rank " + s.length + ", expected rank " + rank);
    }
    return s;
  }
}
