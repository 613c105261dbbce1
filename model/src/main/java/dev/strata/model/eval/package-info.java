/**
 * Evaluation: IOB2 tags to entity spans ({@link dev.strata.model.eval.Spans}) and entity-level
 * precision, recall and F1 with the CoNLL {@code conlleval} conventions ({@link
 * dev.strata.model.eval.EntityScorer}).
 */
package dev.strata.model.eval;
