package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * Which model produces the annotations, as stamped on every output record.
 *
 * @param backbone encoder id (bert-base-cased, ...)
 * @param heads head name to head version
 * @param tokenHead name of the head whose entity spans are reported
 * @param sequenceHead name of the head whose class is reported
 */
public record ModelDescriptor(
    String backbone, Map<String, String> heads, String tokenHead, String sequenceHead) {
  public ModelDescriptor {
    requireNonNull(backbone, "backbone");
    requireNonNull(tokenHead, "tokenHead");
    requireNonNull(sequenceHead, "sequenceHead");
    heads = Map.copyOf(requireNonNull(heads, "heads"));
  }
}
