package dev.strata.model.fewshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One finished run of the few-shot sweep: a line of {@code runs.jsonl}.
 *
 * <p>The JSON names are snake case ({@code trainable_params}, {@code test_f1}, ...). Unknown fields
 * are ignored so that the runner can add fields without breaking older readers; {@code
 * per_type_f1}, {@code history} and {@code config} may be absent (read as empty), every other field
 * is required. F1 values are fractions in [0, 1].
 *
 * @param backbone encoder name, e.g. {@code bert-base-cased}
 * @param data data set name, e.g. {@code conll2003}
 * @param head head name ({@code last}, {@code deeper}, {@code concat}, {@code dwatt}, ...)
 * @param k training sentences, {@link #FULL} (-1) for the full training set
 * @param seed sampling and initialisation seed
 * @param trainableParams trainable parameters of the head
 * @param steps optimiser steps run
 * @param bestStep step of the checkpoint kept (best dev F1)
 * @param devF1 dev F1 of the kept checkpoint
 * @param testF1 test F1 of the kept checkpoint
 * @param perTypeF1 test F1 per entity type, sorted by type
 * @param wallSeconds wall-clock time of the run
 * @param history dev F1 against training step, in step order
 * @param config training settings of the run, as written by the runner
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({
  "backbone",
  "data",
  "head",
  "k",
  "seed",
  "trainable_params",
  "steps",
  "best_step",
  "dev_f1",
  "test_f1",
  "per_type_f1",
  "wall_seconds",
  "history",
  "config"
})
public record FewShotRun(
    @JsonProperty(value = "backbone", required = true) String backbone,
    @JsonProperty(value = "data", required = true) String data,
    @JsonProperty(value = "head", required = true) String head,
    @JsonProperty(value = "k", required = true) int k,
    @JsonProperty(value = "seed", required = true) long seed,
    @JsonProperty(value = "trainable_params", required = true) long trainableParams,
    @JsonProperty(value = "steps", required = true) int steps,
    @JsonProperty(value = "best_step", required = true) int bestStep,
    @JsonProperty(value = "dev_f1", required = true) double devF1,
    @JsonProperty(value = "test_f1", required = true) double testF1,
    @JsonProperty("per_type_f1") Map<String, Double> perTypeF1,
    @JsonProperty(value = "wall_seconds", required = true) double wallSeconds,
    @JsonProperty("history") List<HistoryPoint> history,
    @JsonProperty("config") Map<String, Object> config) {

  /** The value of {@code k} that stands for the full training set. */
  public static final int FULL = -1;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .build();

  public FewShotRun {
    Objects.requireNonNull(backbone, "backbone");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(head, "head");
    if (k != FULL && k <= 0) {
      throw new IllegalArgumentException(
          "k = " + k + ": use a positive number of training sentences, or -1 for the full set");
    }
    if (trainableParams < 0 || steps < 0 || bestStep < 0) {
      throw new IllegalArgumentException(
          "trainable_params, steps and best_step must not be negative, got "
              + trainableParams
              + ", "
              + steps
              + ", "
              + bestStep);
    }
    requireFraction("dev_f1", devF1);
    requireFraction("test_f1", testF1);
    perTypeF1 =
        perTypeF1 == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(perTypeF1));
    perTypeF1.forEach((type, f1) -> requireFraction("per_type_f1." + type, f1));
    history = history == null ? List.of() : List.copyOf(history);
    config = config == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  /** The run's identity, for resuming and de-duplicating. */
  @JsonIgnore
  public RunKey key() {
    return new RunKey(backbone, data, head, k, seed);
  }

  /** Whether this run used the full training set. */
  @JsonIgnore
  public boolean isFull() {
    return k == FULL;
  }

  /** The run as one line of JSON, without the line break. */
  public String toJsonLine() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write run " + key() + " as JSON", e);
    }
  }

  /**
   * Reads one line of {@code runs.jsonl}.
   *
   * @throws IllegalArgumentException when the line is not a complete run; the message names the
   *     missing or bad field
   */
  public static FewShotRun fromJsonLine(String line) {
    Objects.requireNonNull(line, "line");
    try {
      FewShotRun run = JSON.readValue(line, FewShotRun.class);
      if (run == null) {
        throw new IllegalArgumentException("the line holds JSON null, not a run");
      }
      return run;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(e.getOriginalMessage(), e);
    }
  }

  static void requireFraction(String name, Double f1) {
    if (f1 == null || !(f1 >= 0 && f1 <= 1)) {
      throw new IllegalArgumentException(
          name
              + " = "
              + f1
              + " is not a fraction in [0, 1]: the run log stores F1 as a fraction"
              + " (divide percentages by 100 before writing)");
    }
  }
}
