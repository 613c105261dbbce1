package dev.strata.model.backbone;

import dev.strata.model.encoder.BertConfig;
import dev.strata.model.weights.TensorStore;
import java.util.Objects;

/**
 * A loaded checkpoint: architecture, tensors (canonical names and layouts) and tokenizer files.
 *
 * @param spec the backbone this came from
 * @param config the architecture
 * @param tensors the weights; closed with this checkpoint
 * @param tokenizer tokenizer files
 * @param weightChecksum SHA-256 (hex) of the converted weights, to tie saved heads to a backbone
 */
public record Checkpoint(
    BackboneSpec spec,
    BertConfig config,
    TensorStore tensors,
    TokenizerFiles tokenizer,
    String weightChecksum)
    implements AutoCloseable {

  public Checkpoint {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(tensors, "tensors");
    Objects.requireNonNull(tokenizer, "tokenizer");
    Objects.requireNonNull(weightChecksum, "weightChecksum");
  }

  @Override
  public void close() {
    tensors.close();
  }
}
