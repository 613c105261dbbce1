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
}
