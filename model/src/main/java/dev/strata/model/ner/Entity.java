package dev.strata.model.ner;

import java.util.Arrays;
import java.util.Objects;

/**
 * One predicted entity in a text.
 *
 * @param start first character (UTF-16 index, inclusive)
 * @param end end character (exclusive)
 * @param label entity type, e.g. {@code PER}
 * @param text the surface text {@code text.substring(start, end)}
 * @param score mean probability of the predicted tags over the entity's words
 * @param layerWeights the head's weight on every fused state, averaged over the entity's words
 *     (empty for heads without layer weights)
 */
public record Entity(
    int start, int end, String label, String text, float score, float[] layerWeights) {
  public Entity {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(text, "text");
    layerWeights = layerWeights == null ? new float[0] : layerWeights.clone();
  }

  @Override
  public float[] layerWeights() {
    return layerWeights.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Entity e
        && start == e.start
        && end == e.end
        && label.equals(e.label)
        && text.equals(e.text)
        && Float.compare(score, e.score) == 0
        && Arrays.equals(layerWeights, e.layerWeights);
  }

  @Override
  public int hashCode() {
    return Objects.hash(start, end, label);
  }

  @Override
  public String toString() {
    return label + "[" + start + "," + end + ")'" + text + "' " + score;
  }
}
