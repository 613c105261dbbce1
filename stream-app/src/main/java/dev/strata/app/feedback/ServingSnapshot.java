package dev.strata.app.feedback;

import dev.strata.app.stream.Annotator;
import dev.strata.schemas.avro.HeadRecord;

/**
 * An immutable set of loaded heads on one backbone, as served to whole batches. The model-side
 * adapter wraps the model's serving snapshot; tests use fakes.
 */
public interface ServingSnapshot extends Annotator {
  /** Id of the backbone every head must have been trained on. */
  String backbone();

  /**
   * A new snapshot with {@code head} loaded (fully, before returning) in place of any head of the
   * same name; this snapshot is unchanged and keeps serving until swapped out.
   *
   * @throws HeadRecordException {@link SwapOutcome#REJECTED_CORRUPT} for a head file that fails its
   *     own checks, {@link SwapOutcome#REJECTED_INCOMPATIBLE} for another backbone's head
   */
  ServingSnapshot withHead(HeadRecord head);

  /**
   * Called once when no batch uses this snapshot any more after it was replaced: release what its
   * successor does not share (the replaced head). Never called on the serving snapshot.
   */
  void retire();
}
