package dev.strata.model.serving;

import dev.strata.model.ner.EntityTagger;
import dev.strata.model.ner.MultiHeadAnnotator;
import java.util.Objects;

/**
 * A head loaded for serving: its name, version, artifact and weights (in native memory it owns).
 * Snapshots of a {@link ServingModel} share it; it is freed once retired by every snapshot that
 * dropped it and no batch is still using it, so a swap never frees weights under a running batch.
 */
public final class ServedHead {
  private final String name;
  private final String version;
  private final HeadArtifact artifact;
  private final EntityTagger tagger;
  private int users;
  private boolean retired;
  private boolean closed;

  ServedHead(String name, String version, HeadArtifact artifact, EntityTagger tagger) {
    this.name = Objects.requireNonNull(name, "name");
    this.version = Objects.requireNonNull(version, "version");
    this.artifact = Objects.requireNonNull(artifact, "artifact");
    this.tagger = Objects.requireNonNull(tagger, "tagger");
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public HeadArtifact artifact() {
    return artifact;
  }

  /** Whether its weights have been freed. */
  public synchronized boolean closed() {
    return closed;
  }

  /** Marks the start of a batch using this head. */
  synchronized MultiHeadAnnotator.Head acquire() {
    if (retired || closed) {
      throw new IllegalStateException(
          "head '"
              + name
              + "' version "
              + version
              + " was released; annotate with the snapshot that replaced it");
    }
    users++;
    return tagger.annotatingHead();
  }

  /** Marks the end of a batch using this head. */
  synchronized void release() {
    users--;
    if (users == 0 && retired) {
      free();
    }
  }

  /** No new batch may use this head; it is freed now or when the last running batch ends. */
  synchronized void retire() {
    retired = true;
    if (users == 0) {
      free();
    }
  }

  private void free() {
    if (!closed) {
      closed = true;
      tagger.close();
    }
  }

  @Override
  public String toString() {
    return name + "@" + version;
  }
}
