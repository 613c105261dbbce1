/**
 * Training of fusion heads on cached encoder states: the batch contract ({@link
 * dev.strata.model.train.FeatureBatch}, {@link dev.strata.model.train.FeatureBatchSource}), the
 * AdamW loop with warm-up, linear decay, seeded shuffling, dev evaluation and early stopping
 * ({@link dev.strata.model.train.HeadTrainer}), and prediction helpers.
 */
package dev.strata.model.train;
