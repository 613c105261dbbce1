package dev.strata.model.head;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * A layer-fusion head: per-token features from the stacked hidden states of a frozen encoder.
 *
 * <p>As a {@link Block} it takes {@code NDList(states [N, T, L+1, H], mask [N, T])} and returns
 * {@code NDList(features [N, T, H])}, plus {@code layer weights [N, T, S]} for heads that {@link
 * HeadType#hasLayerWeights() have them}. Padding needs no mask inside fusion heads (they do not mix
 * tokens); the {@code deeper} head uses it in its self-attention.
 */
public interface FusionHead extends Block {

  /** Which head this is. */
  HeadType type();

  /** The settings it was built with. */
  HeadConfig config();

  /** The backbone it was built for. */
  BackboneShape backbone();

  /** The fused states. */
  LayerRange range();

  /** Number of trainable scalars in this head (classifiers excluded). */
  long trainableParameters();

  /**
   * Runs the head.
   *
   * @param parameters where to read parameter values from
   * @param states {@code [N, T, L+1, H]} float32
   * @param mask {@code [N, T]} float32, 1 for tokens and 0 for padding
   * @param training whether dropout is active
   */
  HeadOutput fuse(ParameterStore parameters, NDArray states, NDArray mask, boolean training);
}
