/**
 * The model side of the feedback loop: validated feedback examples ({@link
 * dev.strata.model.feedback.FeedbackExamples}, refusals typed by {@link
 * dev.strata.model.feedback.FeedbackProblem}) and the refinement of a head from them ({@link
 * dev.strata.model.feedback.HeadRefiner}: warm start, replay, holdout gate). No Kafka here.
 */
package dev.strata.model.feedback;
