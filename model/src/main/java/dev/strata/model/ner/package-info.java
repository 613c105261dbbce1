/**
 * Entity tagging and text classification on top of a frozen backbone and a fusion head: training
 * from CoNLL/TSV data with cached encoder states, evaluation with conlleval scores, and prediction
 * of character-offset entity spans with scores and layer weights. This is the model's interface to
 * the rest of the product.
 */
package dev.strata.model.ner;
