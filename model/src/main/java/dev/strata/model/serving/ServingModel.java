package dev.strata.model.serving;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.HeadModelException;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.ner.MultiHeadAnnotator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * An immutable snapshot of what an instance serves: one frozen backbone and a set of named heads.
 * {@link #annotate} runs the encoder once per batch and every head on the same hidden states.
 *
 * <p>Swapping a head is building a new snapshot with {@link #withHead}, which loads the head fully
 * (checksum, backbone, weights) before returning, or throws and leaves this snapshot as it was. The
 * caller then points its reference at the new snapshot between batches and calls {@link
 * #retireReplaced} on the old one: the replaced heads' weights are freed once no running batch uses
 * them. The backbone belongs to the caller and is never closed here.
 */
public final class ServingModel implements AutoCloseable {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final LoadedBackbone backbone;
  private final Map<String, ServedHead> heads;

  private ServingModel(LoadedBackbone backbone, Map<String, ServedHead> heads) {
    this.backbone = backbone;
    this.heads = Collections.unmodifiableMap(new TreeMap<>(heads));
  }

  /** A snapshot with no heads (annotations are empty until a head is added). */
  public static ServingModel empty(LoadedBackbone backbone) {
    return new ServingModel(Objects.requireNonNull(backbone, "backbone"), Map.of());
  }

  public LoadedBackbone backbone() {
    return backbone;
  }

  /** The served heads by name (sorted). */
  public Map<String, ServedHead> heads() {
    return heads;
  }

  /** The version served for {@code name}, or {@code null}. */
  public String version(String name) {
    ServedHead h = heads.get(name);
    return h == null ? null : h.version();
  }

  /**
   * As {@link #withHead(String, String, HeadArtifact)} with the artifact's SHA-256 prefix as
   * version.
   */
  public ServingModel withHead(String name, HeadArtifact artifact) {
    Objects.requireNonNull(artifact, "artifact");
    return withHead(name, artifact.sha256().substring(0, 12), artifact);
  }

  /**
   * A new snapshot serving {@code artifact} as head {@code name} (added, or replacing the head of
   * that name); every other head is shared with this snapshot. The head is loaded completely before
   * this returns.
   *
   * @throws HeadModelException when the artifact does not fit the backbone or its weights do not
   *     load; this snapshot is unchanged
   */
  public ServingModel withHead(String name, String version, HeadArtifact artifact) {
    checkName(name);
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(artifact, "artifact");
    artifact.checkCompatible(backbone);
    EntityTagger tagger =
        EntityTagger.load(artifact.bytes(), "head '" + name + "' version " + version, backbone);
    Map<String, ServedHead> next = new TreeMap<>(heads);
    next.put(name, new ServedHead(name, version, artifact, tagger));
    return new ServingModel(backbone, next);
  }

  /** A new snapshot without head {@code name} (this snapshot if it has no such head). */
  public ServingModel withoutHead(String name) {
    if (!heads.containsKey(name)) {
      return this;
    }
    Map<String, ServedHead> next = new TreeMap<>(heads);
    next.remove(name);
    return new ServingModel(backbone, next);
  }

  /**
   * Annotates {@code texts} with every head: one encoder pass per batch of windows.
   *
   * @return one {@link ServedText} per text, in order
   * @throws IllegalStateException when a head of this snapshot was already released
   */
  public List<ServedText> annotate(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    List<ServedHead> acquired = new ArrayList<>(heads.size());
    List<MultiHeadAnnotator.Head> run = new ArrayList<>(heads.size());
    try {
      for (ServedHead h : heads.values()) {
        run.add(h.acquire());
        acquired.add(h);
      }
      List<List<Annotation>> perText = MultiHeadAnnotator.annotate(backbone, run, texts);
      List<ServedText> out = new ArrayList<>(perText.size());
      for (List<Annotation> anns : perText) {
        Map<String, HeadAnnotation> m = new LinkedHashMap<>();
        for (int k = 0; k < acquired.size(); k++) {
          ServedHead h = acquired.get(k);
          m.put(h.name(), new HeadAnnotation(h.name(), h.version(), anns.get(k)));
        }
        out.add(new ServedText(m));
      }
      return out;
    } finally {
      for (ServedHead h : acquired) {
        h.release();
      }
    }
  }

  /**
   * Releases the heads of this snapshot that {@code successor} does not serve (the replaced and
   * removed ones). Their weights are freed now, or when the last batch still running on this
   * snapshot ends. Call once, after the swap.
   */
  public void retireReplaced(ServingModel successor) {
    Objects.requireNonNull(successor, "successor");
    for (ServedHead h : heads.values()) {
      if (successor.heads.get(h.name()) != h) {
        h.retire();
      }
    }
  }

  /** Releases every head of this snapshot (at shutdown; not the backbone). */
  @Override
  public void close() {
    heads.values().forEach(ServedHead::retire);
  }

  private static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "head name '" + name + "' is not allowed: use 1-64 letters, digits, '.', '_' or '-'");
    }
  }

  @Override
  public String toString() {
    return "ServingModel" + heads.values();
  }
}
