package dev.strata.model.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Entity-level scores: micro-averaged over all entities and per type.
 *
 * @param micro counts over all types
 * @param perType counts per entity type, sorted by type; a type appears when it occurs in the gold
 *     tags or the predictions
 * @param tokens words scored
 * @param correctTags words whose predicted tag equals the gold tag (token accuracy, as {@code
 *     conlleval} also prints)
 */
public record EntityScores(
    TypeCounts micro, Map<String, TypeCounts> perType, long tokens, long correctTags) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public EntityScores {
    Objects.requireNonNull(micro, "micro");
    perType =
        Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(perType, "perType")));
  }

  /** Micro precision. */
  public double precision() {
    return micro.precision();
  }

  /** Micro recall. */
  public double recall() {
    return micro.recall();
  }

  /** Micro F1, the headline number. */
  public double f1() {
    return micro.f1();
  }

  /** Share of words with the right tag, 0 when no word was scored. */
  public double tagAccuracy() {
    return tokens == 0 ? 0 : (double) correctTags / tokens;
  }

  /**
   * The scores as a JSON object: {@code {"micro": {...}, "types": {"LOC": {...}}, "tokens": n,
   * "tagAccuracy": a}}, each count object holding {@code tp, predicted, gold, precision, recall,
   * f1} (ratios in [0, 1]).
   */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    counts(root.putObject("micro"), micro);
    ObjectNode types = root.putObject("types");
    perType.forEach((type, c) -> counts(types.putObject(type), c));
    root.put("tokens", tokens);
    root.put("correctTags", correctTags);
    root.put("tagAccuracy", tagAccuracy());
    return root.toString();
  }

  private static void counts(ObjectNode n, TypeCounts c) {
    n.put("tp", c.truePositives());
    n.put("predicted", c.predicted());
    n.put("gold", c.gold());
    n.put("precision", c.precision());
    n.put("recall", c.recall());
    n.put("f1", c.f1());
  }

  /** A table in the manner of {@code conlleval} (percentages with two decimals). */
  public String toTable() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%-10s %9s %9s %9s %8s %8s %8s%n",
            "type",
            "tp",
            "predicted",
            "gold",
            "P",
            "R",
            "F1"));
    perType.forEach((type, c) -> row(sb, type, c));
    row(sb, "all", micro);
    sb.append(
        String.format(
            Locale.ROOT, "tag accuracy %.2f%% over %d words%n", 100 * tagAccuracy(), tokens));
    return sb.toString();
  }

  private static void row(StringBuilder sb, String name, TypeCounts c) {
    sb.append(
        String.format(
            Locale.ROOT,
            "%-10s %9d %9d %9d %8.2f %8.2f %8.2f%n",
            name,
            c.truePositives(),
            c.predicted(),
            c.gold(),
            100 * c.precision(),
            100 * c.recall(),
            100 * c.f1()));
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "EntityScores[P=%.4f R=%.4f F1=%.4f, %d predicted, %d gold]",
        precision(),
        recall(),
        f1(),
        micro.predicted(),
        micro.gold());
  }
}
