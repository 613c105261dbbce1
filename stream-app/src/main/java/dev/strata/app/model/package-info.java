/**
 * Adapters from the DJL-backed model module to the stream app's {@link
 * dev.strata.app.stream.Annotator}; the only place the stream app touches the model's loading code.
 */
package dev.strata.app.model;
