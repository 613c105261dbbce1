package dev.strata.model.backbone;

import ai.djl.Device;
import dev.strata.model.encoder.BertEncoder;
import dev.strata.model.encoder.EngineSettings;
import dev.strata.model.text.SubwordTokenizer;
import dev.strata.model.text.Tokenizers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * A backbone ready to run: checkpoint, tokenizer and encoder on a device. This is what the rest of
 * the product holds on to; create it once per process.
 */
public final class LoadedBackbone implements AutoCloseable {
  private final Checkpoint checkpoint;
  private final SubwordTokenizer tokenizer;
  private final BertEncoder encoder;
  private final long loadMillis;

  private LoadedBackbone(
      Checkpoint checkpoint, SubwordTokenizer tokenizer, BertEncoder encoder, long loadMillis) {
    this.checkpoint = checkpoint;
    this.tokenizer = tokenizer;
    this.encoder = encoder;
    this.loadMillis = loadMillis;
  }

  /**
   * Resolves, converts (first time only) and loads a backbone.
   *
   * @param name a built-in name or {@code hf:FOLDER}
   * @param device {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}
   */
  public static LoadedBackbone open(String name, String device) {
    Objects.requireNonNull(name, "name");
    long t0 = System.nanoTime();
    BackboneSpec spec = Backbones.byName(name);
    Checkpoint ckpt = new CheckpointLoader().load(spec);
    SubwordTokenizer tok = null;
    try {
      tok = openTokenizer(ckpt);
      Device d = EngineSettings.device(device);
      BertEncoder enc = BertEncoder.load(ckpt.config(), ckpt.tensors(), d);
      return new LoadedBackbone(ckpt, tok, enc, (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      if (tok != null) {
        tok.close();
      }
      ckpt.close();
      throw e;
    }
  }

  private static SubwordTokenizer openTokenizer(Checkpoint ckpt) {
    try {
      return Tokenizers.create(ckpt.tokenizer());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the tokenizer of backbone "
              + ckpt.spec().name()
              + " ("
              + ckpt.tokenizer()
              + "): "
              + e.getMessage()
              + "; delete its cache folder to rebuild it",
          e);
    }
  }

  public BackboneSpec spec() {
    return checkpoint.spec();
  }

  public Checkpoint checkpoint() {
    return checkpoint;
  }

  public SubwordTokenizer tokenizer() {
    return tokenizer;
  }

  public BertEncoder encoder() {
    return encoder;
  }

  /** Wall time of {@link #open}, milliseconds. */
  public long loadMillis() {
    return loadMillis;
  }

  @Override
  public void close() {
    encoder.close();
    tokenizer.close();
    checkpoint.close();
  }
}
