package dev.strata.model.serving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What every served head says about one text.
 *
 * @param heads per head name (sorted), that head's annotation
 */
public record ServedText(Map<String, HeadAnnotation> heads) {
  public ServedText {
    heads =
        java.util.Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(heads, "heads")));
  }

  /** The entities of every token head, in text order (ties: by head name). */
  public List<HeadEntity> entities() {
    List<HeadEntity> out = new ArrayList<>();
    for (HeadAnnotation a : heads.values()) {
      a.annotation().entities().forEach(e -> out.add(new HeadEntity(a.head(), a.version(), e)));
    }
    out.sort(
        Comparator.comparingInt((HeadEntity e) -> e.entity().start())
            .thenComparingInt(e -> e.entity().end())
            .thenComparing(HeadEntity::head));
    return out;
  }

  /** Per sequence head, the predicted class (heads without a sequence classifier are absent). */
  public Map<String, String> classes() {
    Map<String, String> out = new LinkedHashMap<>();
    for (HeadAnnotation a : heads.values()) {
      if (a.annotation().classLabel() != null) {
        out.put(a.head(), a.annotation().classLabel());
      }
    }
    return out;
  }
}
