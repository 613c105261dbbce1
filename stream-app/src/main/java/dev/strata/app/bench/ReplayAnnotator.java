package dev.strata.app.bench;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.ModelDescriptor;
import dev.strata.model.ner.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what a real annotator answered and replays it without running the model, so the topology
 * can be timed with realistic outputs (same entities, versions, token counts) but no inference: the
 * difference to the real run is the model, the rest is the pipeline's own cost per record.
 */
final class ReplayAnnotator {
  private final Annotator real;
  private final Map<String, Annotation> answers = new ConcurrentHashMap<>();
  private final Annotator recording = new Recording();
  private final Annotator replaying = new Replaying();

  ReplayAnnotator(Annotator real) {
    this.real = requireNonNull(real, "real");
  }

  /** The real annotator, recording each answer for {@link #replaying()}. */
  Annotator recording() {
    return recording;
  }

  /** Answers recorded so far, without inference; a text never seen is an error naming it. */
  Annotator replaying() {
    return replaying;
  }

  /** Model version, descriptor and token counts always come from the real annotator. */
  private abstract class Forwarding implements Annotator {
    @Override
    public String modelVersion() {
      return real.modelVersion();
    }

    @Override
    public ModelDescriptor descriptor() {
      return real.descriptor();
    }

    @Override
    public int tokenCount(String text) {
      return real.tokenCount(text);
    }
  }

  private final class Recording extends Forwarding {
    @Override
    public List<Annotation> annotate(List<String> texts) {
      List<Annotation> out = real.annotate(texts);
      for (int i = 0; i < texts.size(); i++) {
        answers.put(texts.get(i), out.get(i));
      }
      return out;
    }
  }

  private final class Replaying extends Forwarding {
    @Override
    public List<Annotation> annotate(List<String> texts) {
      List<Annotation> out = new ArrayList<>(texts.size());
      for (String t : texts) {
        Annotation a = answers.get(t);
        if (a == null) {
          throw new IllegalStateException("no recorded annotation for '" + t + "'");
        }
        out.add(a);
      }
      return out;
    }
  }
}
