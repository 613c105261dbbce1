/**
 * Layer-fusion heads over the stacked hidden states of a frozen encoder ({@code last}, {@code
 * deeper}, {@code concat}, {@code dwatt}, {@code scalarmix}), the token and sequence classifiers on
 * top of them ({@link dev.strata.model.head.FusionModel}), and the versioned file a trained head is
 * saved to ({@link dev.strata.model.head.HeadModelFile}).
 *
 * <p>Every head is a DJL {@link ai.djl.nn.Block} with its parameters registered by name, consumes
 * states {@code [N, T, L+1, H]} and a mask {@code [N, T]}, and reports its trainable-parameter
 * count.
 */
package dev.strata.model.head;
