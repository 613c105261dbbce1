package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.Timings;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How the demo prints one annotated record: the text, one line per entity ({@code LABEL "surface"
 * [start,end) score}, offsets in UTF-16 code units), then the model version, batch size and
 * latencies.
 */
public final class AnnotationFormat {
  private static final String INDENT = "    ";

  private AnnotationFormat() {}

  /** The lines for {@code record}, each ending in a newline. */
  public static String format(AnnotatedRecord record) {
    requireNonNull(record, "record");
    StringBuilder sb = new StringBuilder();
    sb.append(record.getText()).append('\n');
    if (record.getEntities().isEmpty()) {
      sb.append(INDENT).append("(no entities)\n");
    }
    int surfaceWidth =
        record.getEntities().stream().mapToInt(e -> e.getText().length() + 2).max().orElse(0);
    for (EntitySpan e : record.getEntities()) {
      String surface = "\"" + e.getText() + "\"";
      String span = "[" + e.getStart() + "," + e.getEnd() + ")";
      sb.append(INDENT)
          .append(String.format(Locale.ROOT, "%-5s", e.getLabel()))
          .append(' ')
          .append(surface)
          .append(" ".repeat(surfaceWidth - surface.length()))
          .append("  ")
          .append(String.format(Locale.ROOT, "%-9s", span))
          .append(' ')
          .append(String.format(Locale.ROOT, "%.3f", e.getScore()))
          .append('\n');
    }
    sb.append(INDENT).append(footer(record)).append('\n');
    return sb.toString();
  }

  private static String footer(AnnotatedRecord record) {
    Map<String, String> heads = record.getModel().getHeads();
    String model =
        record.getModel().getBackbone()
            + (heads.isEmpty()
                ? ""
                : " "
                    + heads.entrySet().stream()
                        .map(h -> h.getKey() + "@" + h.getValue())
                        .collect(Collectors.joining(",")));
    Timings t = record.getTimings();
    String endToEnd =
        t.getEndToEndMs() == null
            ? ""
            : String.format(Locale.ROOT, ", end-to-end %.0f ms", t.getEndToEndMs());
    return String.format(
        Locale.ROOT,
        "model %s | batch of %d | inference %.0f ms%s",
        model,
        t.getBatchSize(),
        t.getInferenceMs(),
        endToEnd);
  }
}
