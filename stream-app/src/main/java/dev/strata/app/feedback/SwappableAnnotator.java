package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.Annotator;
import dev.strata.app.stream.ModelDescriptor;
import dev.strata.model.ner.Annotation;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotator the topology uses when heads can be swapped: an atomic reference to the serving
 * {@link ServingSnapshot}. A batch {@link #lease() leases} the snapshot once and uses it for the
 * whole batch; {@link #swap} replaces the reference (the new snapshot is fully loaded before) and
 * retires the old one once its last batch has closed its lease. So no batch ever sees a half-loaded
 * head, and the serving stall of a swap is one reference write.
 */
public final class SwappableAnnotator implements Annotator {
  private static final Logger LOG = LoggerFactory.getLogger(SwappableAnnotator.class);

  private final AtomicReference<Held> serving;

  public SwappableAnnotator(ServingSnapshot initial) {
    serving = new AtomicReference<>(new Held(requireNonNull(initial, "initial")));
  }

  /** The serving snapshot (for inspection; batches use {@link #lease()}). */
  public ServingSnapshot current() {
    return serving.get().snapshot;
  }

  /**
   * Makes {@code next} serve from the next batch on; the replaced snapshot is retired when its last
   * lease closes.
   */
  public void swap(ServingSnapshot next) {
    requireNonNull(next, "next");
    Held old = serving.getAndSet(new Held(next));
    LOG.info("Serving {} (was {})", next.modelVersion(), old.snapshot.modelVersion());
    old.release();
  }

  @Override
  public Lease lease() {
    while (true) {
      Held h = serving.get();
      if (h.retain()) {
        return new Lease(h.snapshot, h::release);
      }
      // h was swapped out and retired between get() and retain(): read the reference again.
    }
  }

  @Override
  public List<Annotation> annotate(List<String> texts) {
    try (Lease l = lease()) {
      return l.model().annotate(texts);
    }
  }

  @Override
  public String modelVersion() {
    return current().modelVersion();
  }

  @Override
  public ModelDescriptor descriptor() {
    return current().descriptor();
  }

  @Override
  public int tokenCount(String text) {
    try (Lease l = lease()) {
      return l.model().tokenCount(text);
    }
  }

  /** A snapshot with its reference count: 1 for "serving" plus one per open lease. */
  private static final class Held {
    final ServingSnapshot snapshot;
    private final AtomicInteger refs = new AtomicInteger(1);

    Held(ServingSnapshot snapshot) {
      this.snapshot = snapshot;
    }

    boolean retain() {
      while (true) {
        int r = refs.get();
        if (r == 0) {
          return false;
        }
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
    }

    void release() {
      int r = refs.decrementAndGet();
      if (r == 0) {
        try {
          snapshot.retire();
        } catch (RuntimeException e) {
          LOG.warn("Releasing {} failed: {}", snapshot.modelVersion(), e.toString());
        }
      } else if (r < 0) {
        throw new IllegalStateException("lease of " + snapshot.modelVersion() + " closed twice");
      }
    }
  }
}
