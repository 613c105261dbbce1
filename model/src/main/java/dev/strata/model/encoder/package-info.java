/**
 * A BERT-family encoder written with DJL NDArray ops that returns the hidden states of every layer.
 */
package dev.strata.model.encoder;
