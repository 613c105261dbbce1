package dev.strata.model.encoder;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.strata.model.weights.TensorStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A BERT-family encoder on DJL NDArray ops that returns the hidden state of every layer.
 *
 * <p>Weights are copied once into a long-lived manager on the chosen device. Each call to {@link
 * #forward} works in its own manager: per-layer temporaries are freed as soon as the layer is done,
 * and the returned {@link HiddenStates} owns only the L+1 states. The encoder is immutable after
 * construction and safe to call from several threads.
 */
public final class BertEncoder implements AutoCloseable {
  private static final String PYTORCH = "PyTorch";

  private final BertConfig config;
  private final NDManager manager;
  private final EmbeddingBlock embeddings;
  private final List<EncoderLayer> layers;
  // Memory the weight arrays read from without a copy (see Weights): must stay reachable.
  private final List<java.nio.ByteBuffer> pinnedWeights;

  private BertEncoder(BertConfig config, NDManager manager, TensorStore store) {
    this.config = config;
    this.manager = manager;
    Weights w = new Weights(store, manager);
    this.embeddings = new EmbeddingBlock(config, w);
    List<EncoderLayer> ls = new ArrayList<>(config.layers());
    for (int i = 0; i < config.layers(); i++) {
      ls.add(new EncoderLayer(config, w, i));
    }
    this.layers = List.copyOf(ls);
    this.pinnedWeights = List.copyOf(w.pinned());
  }

  /**
   * Loads the checkpoint's weights onto {@code device}. On the CPU, float32 weights of a
   * memory-mapped store are used in place: keep {@code store} open while this encoder is in use.
   *
   * @throws dev.strata.model.weights.WeightFileException naming the tensor when a weight is missing
   *     or has the wrong shape
   */
  public static BertEncoder load(BertConfig config, TensorStore store, Device device) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(device, "device");
    NDManager m = NDManager.newBaseManager(device, PYTORCH);
    try {
      return new BertEncoder(config, m, store);
    } catch (RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** Loads onto the engine's default device: the first GPU when one is visible, else the CPU. */
  public static BertEncoder load(BertConfig config, TensorStore store) {
    return load(config, store, Engine.getEngine(PYTORCH).defaultDevice());
  }

  /** The architecture. */
  public BertConfig config() {
    return config;
  }

  /** Whether some weights are read in place from the store's memory (the store must stay open). */
  public boolean readsStoreInPlace() {
    return !pinnedWeights.isEmpty();
  }

  /** The device the weights live on. */
  public Device device() {
    return manager.getDevice();
  }

  /**
   * Runs the batch through every layer.
   *
   * @return z_0 … z_L; the caller closes it
   */
  public HiddenStates forward(TokenBatch batch) {
    Objects.requireNonNull(batch, "batch");
    NDManager batchManager = manager.newSubManager();
    try {
      long b = batch.size();
      long t = batch.seqLen();
      NDArray ids = batchManager.create(batch.ids(), new Shape(b, t));
      NDArray maskAdder =
          batchManager
              .create(batch.mask(), new Shape(b, 1, 1, t))
              .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
              .neg()
              .addi(1f)
              .muli(config.maskAdder());
      NDList states = new NDList(config.states());
      NDArray x;
      try (NDManager scope = batchManager.newSubManager()) {
        ids.tempAttach(scope);
        x = embeddings.forward(ids);
        x.attach(batchManager);
      }
      states.add(x);
      for (EncoderLayer layer : layers) {
        try (NDManager scope = batchManager.newSubManager()) {
          x.tempAttach(scope);
          NDArray next = layer.forward(x, maskAdder);
          next.attach(batchManager);
          x = next;
        }
        states.add(x);
      }
      maskAdder.close();
      ids.close();
      return new HiddenStates(states, batch, batchManager);
    } catch (RuntimeException e) {
      batchManager.close();
      throw e;
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}
