package dev.strata.app.stream;

import static java.util.Objects.requireNonNull;

import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.Entity;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.Classification;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.ModelInfo;
import dev.strata.schemas.avro.Timings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects decoded texts into a micro-batch and infers it when the first of three limits is hit:
 * {@code batch.max.records} texts, {@code batch.max.tokens} sub-tokens (a text that would overflow
 * the budget flushes the open batch first and starts the next), or {@code batch.max.wait.ms} of
 * wall-clock time since the batch's first text arrived (checked by a wall-clock punctuator, so a
 * quiet partition still flushes).
 *
 * <p><b>Order.</b> Kafka Streams gives each task (input partition) its own processor instance, so a
 * batch holds texts of one partition, and outputs are forwarded in input order.
 *
 * <p><b>Crash and rebalance safety.</b> The open batch lives in a changelogged key-value store
 * keyed by an increasing sequence number; a text is deleted from it only in the same flush that
 * forwards its output or dead letter. With {@code exactly_once_v2} the store changelog, the
 * outputs, the dead letters and the input offsets commit in one transaction: after a crash either
 * everything since the last commit is rolled back and re-read from the input, or the commit
 * happened and the restored store still holds the texts that were waiting, which the next
 * punctuation flushes. Nothing is lost or emitted twice. With {@code at_least_once} nothing is
 * lost, but outputs forwarded after the last commit are emitted again after a crash.
 */
final class MicroBatcher implements Processor<byte[], Object, byte[], Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

  /** Header on output records naming the model version. */
  static final String MODEL_VERSION_HEADER = "strata.model.version";

  private final String storeName;
  private final Annotator annotator;
  private final StreamMetrics metrics;
  private final int maxRecords;
  private final int maxTokens;
  private final long maxWaitMs;
  private final FailurePolicy failurePolicy;
  private final String outputName;
  private final String deadLetterName;
  private final OutputEncoder outputEncoder;

  private ProcessorContext<byte[], Object> context;
  private KeyValueStore<Long, PendingText> store;
  private final List<KeyValue<Long, PendingText>> open = new ArrayList<>();
  private long openTokens;
  private long nextSeq;
  private String versionInService;
  private long flushStartWallMs;
  private long flushStartNanos;

  MicroBatcher(
      String storeName,
      Annotator annotator,
      StreamMetrics metrics,
      int maxRecords,
      int maxTokens,
      Duration maxWait,
      FailurePolicy failurePolicy,
      String outputName,
      String deadLetterName,
      OutputEncoder outputEncoder) {
    this.storeName = requireNonNull(storeName, "storeName");
    this.annotator = requireNonNull(annotator, "annotator");
    this.metrics = requireNonNull(metrics, "metrics");
    this.maxRecords = maxRecords;
    this.maxTokens = maxTokens;
    this.maxWaitMs = maxWait.toMillis();
    this.failurePolicy = requireNonNull(failurePolicy, "failurePolicy");
    this.outputName = requireNonNull(outputName, "outputName");
    this.deadLetterName = requireNonNull(deadLetterName, "deadLetterName");
    this.outputEncoder = requireNonNull(outputEncoder, "outputEncoder");
  }

  /** How often the punctuator checks the deadline: a tenth of it, at most 10 ms late. */
  static Duration punctuationInterval(Duration maxWait) {
    return Duration.ofMillis(Math.max(1, Math.min(10, maxWait.toMillis() / 10)));
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
    this.store = context.getStateStore(storeName);
    // A revived task may initialise the same processor again: the store is the truth.
    open.clear();
    openTokens = 0;
    try (KeyValueIterator<Long, PendingText> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Long, PendingText> kv = it.next();
        open.add(kv);
        openTokens += kv.value.tokens();
        nextSeq = Math.max(nextSeq, kv.key + 1);
      }
    }
    open.sort((a, b) -> Long.compare(a.key, b.key));
    if (!open.isEmpty()) {
      LOG.info(
          "Task {}: {} texts restored in the open batch (from {}), model {}; flushing them at the"
              + " next punctuation",
          context.taskId(),
          open.size(),
          open.get(0).value.source(),
          annotator.modelVersion());
    }
    context.schedule(
        punctuationInterval(Duration.ofMillis(maxWaitMs)),
        PunctuationType.WALL_CLOCK_TIME,
        this::punctuate);
  }

  @Override
  public void process(Record<byte[], Object> record) {
    PendingText text = (PendingText) record.value();
    if (!open.isEmpty() && openTokens + text.tokens() > maxTokens) {
      flush("tokens");
    }
    long seq = nextSeq++;
    store.put(seq, text);
    open.add(KeyValue.pair(seq, text));
    openTokens += text.tokens();
    if (open.size() >= maxRecords) {
      flush("records");
    } else if (openTokens >= maxTokens) {
      flush("tokens");
    }
  }

  private void punctuate(long now) {
    if (open.isEmpty()) {
      return;
    }
    if (open.size() >= maxRecords
        || openTokens >= maxTokens
        || now - open.get(0).value.arrivalMs() >= maxWaitMs) {
      flush("time");
    }
  }

  private void flush(String trigger) {
    flushStartWallMs = context.currentSystemTimeMs();
    flushStartNanos = System.nanoTime();
    List<PendingText> batch = new ArrayList<>(open.size());
    open.forEach(kv -> batch.add(kv.value));
    LOG.debug(
        "Task {}: flushing {} texts ({} tokens) on {} from {}",
        context.taskId(),
        batch.size(),
        openTokens,
        trigger,
        batch.get(0).source());
    try (Annotator.Lease lease = annotator.lease()) {
      reportModelInService(lease.model().modelVersion());
      infer(lease.model(), batch);
    }
    for (KeyValue<Long, PendingText> kv : open) {
      store.delete(kv.key);
    }
    open.clear();
    openTokens = 0;
  }

  /** Updates the model-info metric when a hot swap changed the version this task serves. */
  private void reportModelInService(String version) {
    if (!version.equals(versionInService)) {
      metrics.modelInService(version);
      versionInService = version;
    }
  }

  private void infer(Annotator model, List<PendingText> batch) {
    List<String> texts = new ArrayList<>(batch.size());
    batch.forEach(p -> texts.add(p.text()));
    long start = System.nanoTime();
    List<HeadedAnnotation> annotations;
    try {
      annotations = checked(model.annotateWithHeads(texts), texts.size());
    } catch (RuntimeException e) {
      PendingText first = batch.get(0);
      PendingText last = batch.get(batch.size() - 1);
      if (failurePolicy == FailurePolicy.FAIL) {
        throw new StreamsException(
            "Inference failed on a batch of "
                + batch.size()
                + " texts from "
                + first.source()
                + " to offset "
                + last.source().offset()
                + " with model "
                + model.modelVersion()
                + " ("
                + DeadLetters.describe(e)
                + "). inference.failure.policy=FAIL stops the application; the batch was not"
                + " committed and is re-processed after a restart. Fix the model, or set"
                + " inference.failure.policy=DEAD_LETTER to dead-letter failing texts instead.",
            e);
      }
      LOG.warn(
          "Inference failed on a batch of {} texts from {} to offset {}, model {}: {}; retrying"
              + " each text alone",
          batch.size(),
          first.source(),
          last.source().offset(),
          model.modelVersion(),
          DeadLetters.describe(e));
      List<Runnable> sends = new ArrayList<>(batch.size());
      batch.forEach(t -> sends.add(inferAlone(model, t)));
      sends.forEach(Runnable::run);
      return;
    }
    float inferenceMs = (System.nanoTime() - start) / 1e6f;
    metrics.batchInferred(batch.size(), tokens(batch), inferenceMs);
    // Every output is serialized before any is forwarded: a registry failure on one leaves the
    // whole batch unsent, in the store, to be annotated again.
    List<Runnable> sends = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      sends.add(prepare(model, batch.get(i), annotations.get(i), batch.size(), inferenceMs));
    }
    sends.forEach(Runnable::run);
  }

  /** Infers one text; returns what to send for it (its output or its dead letter). */
  private Runnable inferAlone(Annotator model, PendingText text) {
    long start = System.nanoTime();
    HeadedAnnotation annotation;
    try {
      annotation = checked(model.annotateWithHeads(List.of(text.text())), 1).get(0);
    } catch (RuntimeException e) {
      String detail = DeadLetters.describe(e);
      return () -> deadLetter(model, text, DeadLetterReason.INFERENCE_FAILED, detail);
    }
    float inferenceMs = (System.nanoTime() - start) / 1e6f;
    metrics.batchInferred(1, text.tokens(), inferenceMs);
    return prepare(model, text, annotation, 1, inferenceMs);
  }

  private void deadLetter(
      Annotator model, PendingText text, DeadLetterReason reason, String detail) {
    metrics.deadLettered(reason);
    LOG.warn(
        "Dead-lettering {} (model {}): {}: {}",
        text.source(),
        model.modelVersion(),
        reason,
        detail);
    context.forward(
        DeadLetters.record(
            text.key(),
            text.value(),
            text.timestamp(),
            text.kafkaHeaders(),
            text.source(),
            reason,
            detail,
            model.modelVersion()),
        deadLetterName);
  }

  private static long tokens(List<PendingText> batch) {
    long sum = 0;
    for (PendingText p : batch) {
      sum += p.tokens();
    }
    return sum;
  }

  private static List<HeadedAnnotation> checked(List<HeadedAnnotation> annotations, int expected) {
    if (annotations == null || annotations.size() != expected) {
      throw new IllegalStateException(
          "the annotator returned "
              + (annotations == null ? "null" : annotations.size() + " annotations")
              + " for "
              + expected
              + " texts");
    }
    return annotations;
  }

  /**
   * Builds and serializes the output of {@code text}; returns the action that forwards it (or its
   * dead letter when it is too large to write) and counts it.
   */
  private Runnable prepare(
      Annotator model,
      PendingText text,
      HeadedAnnotation headed,
      int batchSize,
      float inferenceMs) {
    Annotation annotation = headed.annotation();
    ModelDescriptor descriptor = model.descriptor();
    List<EntitySpan> spans = new ArrayList<>(annotation.entities().size());
    for (int k = 0; k < annotation.entities().size(); k++) {
      Entity e = annotation.entities().get(k);
      float[] w = e.layerWeights();
      List<Float> weights = new ArrayList<>(w.length);
      for (float f : w) {
        weights.add(f);
      }
      spans.add(
          EntitySpan.newBuilder()
              .setStart(e.start())
              .setEnd(e.end())
              .setLabel(e.label())
              .setText(e.text())
              .setScore(e.score())
              .setLayerWeights(weights)
              .setHead(headed.entityHeads().get(k))
              .build());
    }
    Classification classification =
        annotation.classLabel() == null
            ? null
            : Classification.newBuilder()
                .setHead(
                    headed.sequenceHead() != null
                        ? headed.sequenceHead()
                        : descriptor.sequenceHead())
                .setLabel(annotation.classLabel())
                .setProbabilities(new HashMap<>(annotation.classProbabilities()))
                .build();
    // Kafka Streams caches its wall-clock time for the whole batch (it is read before inference),
    // so the time spent since the flush began is added from a monotonic clock.
    long sinceFlushMs = (System.nanoTime() - flushStartNanos) / 1_000_000;
    long endToEndMs = Math.max(0, flushStartWallMs + sinceFlushMs - text.timestamp());
    AnnotatedRecord out =
        AnnotatedRecord.newBuilder()
            .setInputId(text.id())
            .setText(text.text())
            .setEntities(spans)
            .setClassification(classification)
            .setModel(
                ModelInfo.newBuilder()
                    .setBackbone(descriptor.backbone())
                    .setHeads(new HashMap<>(descriptor.heads()))
                    .build())
            .setTimings(
                Timings.newBuilder()
                    .setBatchSize(batchSize)
                    .setInferenceMs(inferenceMs)
                    .setEndToEndMs((float) endToEndMs)
                    .build())
            .setEventTime(Instant.ofEpochMilli(text.eventTimeMs()))
            .build();
    Headers headers = new RecordHeaders();
    headers.add(MODEL_VERSION_HEADER, model.modelVersion().getBytes(StandardCharsets.UTF_8));
    byte[] value = outputEncoder.encode(out, headers, text.source());
    if (!outputEncoder.fits(text.key(), value, headers)) {
      String detail =
          outputEncoder.tooLarge(
              text.id(), text.text().length(), spans.size(), text.key(), value, headers);
      return () -> deadLetter(model, text, DeadLetterReason.OUTPUT_TOO_LARGE, detail);
    }
    return () -> {
      context.forward(new Record<>(text.key(), value, text.timestamp(), headers), outputName);
      metrics.recordOut();
      metrics.endToEnd(endToEndMs);
    };
  }
}
