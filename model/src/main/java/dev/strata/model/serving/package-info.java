/**
 * Serving several heads on one frozen backbone: serialized heads ({@link
 * dev.strata.model.serving.HeadArtifact}, checked bytes of the head file format) and immutable
 * serving snapshots ({@link dev.strata.model.serving.ServingModel}) that run the encoder once per
 * batch for every head and are swapped whole.
 */
package dev.strata.model.serving;
