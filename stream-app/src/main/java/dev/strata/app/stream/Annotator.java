package dev.strata.app.stream;

import dev.strata.model.ner.Annotation;
import java.util.List;

/**
 * The model as the topology sees it. Implementations must be usable from the stream thread that
 * calls them; one instance may be shared by several tasks when it is thread-safe.
 */
public interface Annotator {

  /**
   * Annotates a micro-batch.
   *
   * @return one annotation per text, in the same order
   * @throws RuntimeException when inference fails; the topology applies {@code
   *     inference.failure.policy}
   */
  List<Annotation> annotate(List<String> texts);

  /**
   * Annotates a micro-batch, naming the head of every entity. The default names {@link
   * ModelDescriptor#tokenHead()} and {@link ModelDescriptor#sequenceHead()} for all; multi-head
   * models override it.
   */
  default List<HeadedAnnotation> annotateWithHeads(List<String> texts) {
    List<Annotation> plain = annotate(texts);
    if (plain == null) {
      return null;
    }
    ModelDescriptor d = descriptor();
    List<HeadedAnnotation> out = new java.util.ArrayList<>(plain.size());
    for (Annotation a : plain) {
      out.add(
          new HeadedAnnotation(
              a,
              java.util.Collections.nCopies(a.entities().size(), d.tokenHead()),
              a.classLabel() == null ? null : d.sequenceHead()));
    }
    return out;
  }

  /** A short version string for logs and headers, e.g. {@code bert-base-cased/fusion@3f2a}. */
  String modelVersion();

  /** Backbone and heads, stamped on every output record. */
  ModelDescriptor descriptor();

  /** Whether the model is loaded and can annotate now (readiness); {@code false} once closed. */
  default boolean loaded() {
    return true;
  }

  /** Sub-tokens the model will see for {@code text}, counted against {@code batch.max.tokens}. */
  int tokenCount(String text);

  /**
   * The model for one whole batch: annotate, version and descriptor of one batch all come from the
   * leased model, so a head swapped in while the batch runs is seen from the next batch on. Close
   * the lease when the batch is done. The default leases this annotator itself.
   */
  default Lease lease() {
    return new Lease(this, null);
  }

  /**
   * A model in use by one batch.
   *
   * @param model the model to call for the whole batch
   * @param release run once on {@link #close()}; {@code null} for nothing
   */
  record Lease(Annotator model, Runnable release) implements AutoCloseable {
    public Lease {
      java.util.Objects.requireNonNull(model, "model");
    }

    @Override
    public void close() {
      if (release != null) {
        release.run();
      }
    }
  }
}
