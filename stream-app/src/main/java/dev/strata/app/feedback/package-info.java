/**
 * The Kafka side of the feedback loop: feedback validation and the per-head feedback store (a
 * sub-topology of the stream application), the background {@link
 * dev.strata.app.feedback.Retrainer}, the heads topic ({@link dev.strata.app.feedback.HeadsTopic},
 * {@link dev.strata.app.feedback.HeadPublisher}, {@link dev.strata.app.feedback.HeadsWatcher}) and
 * the between-batches head swap ({@link dev.strata.app.feedback.SwappableAnnotator}). The model is
 * reached only through the small interfaces here ({@link
 * dev.strata.app.feedback.FeedbackValidator}, {@link dev.strata.app.feedback.HeadRefiner}, {@link
 * dev.strata.app.feedback.HeadLoader}), so tests use fakes; adapters over the model live in {@code
 * dev.strata.app.model}.
 */
package dev.strata.app.feedback;
