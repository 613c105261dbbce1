package dev.strata.app.stream;

import static dev.strata.app.stream.StrataConfig.TEXT_MAX_CHARS;
import static dev.strata.app.stream.StrataConfig.TEXT_MAX_TOKENS;
import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.TextRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes input bytes into {@link PendingText} for the batcher, or dead-letters the original bytes
 * with a reason: not wire format, unknown schema id, undecodable Avro, null value, empty or
 * oversized text (over {@code text.max.chars} or {@code text.max.tokens}, or too large to store
 * under the producer's {@code max.request.size}). Registry outages are not the record's fault: they
 * fail the task (it is retried from the last commit) instead of dead-lettering every record while
 * the registry is down.
 */
final class TextDecoder implements Processor<byte[], byte[], byte[], Object> {
  private static final Logger LOG = LoggerFactory.getLogger(TextDecoder.class);

  private final WireRecordDecoder<TextRecord> decoder;
  private final Annotator annotator;
  private final StreamMetrics metrics;
  private final TextLimits limits;
  private final String batcherName;
  private final String deadLetterName;
  private final String inputTopic;
  private ProcessorContext<byte[], Object> context;

  TextDecoder(
      Deserializer<TextRecord> deserializer,
      Annotator annotator,
      StreamMetrics metrics,
      TextLimits limits,
      String inputTopic,
      String batcherName,
      String deadLetterName) {
    this.decoder = new WireRecordDecoder<>(deserializer, "");
    this.annotator = requireNonNull(annotator, "annotator");
    this.metrics = requireNonNull(metrics, "metrics");
    this.limits = requireNonNull(limits, "limits");
    this.inputTopic = requireNonNull(inputTopic, "inputTopic");
    this.batcherName = requireNonNull(batcherName, "batcherName");
    this.deadLetterName = requireNonNull(deadLetterName, "deadLetterName");
  }

  @Override
  public void init(ProcessorContext<byte[], Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    metrics.recordIn();
    SourcePosition source = SourcePosition.of(context, inputTopic);
    byte[] value = record.value();
    WireRecordDecoder.Decoded<TextRecord> decoded = decoder.decode(source, value);
    if (decoded.isRejected()) {
      deadLetter(record, source, decoded.reason(), decoded.detail());
      return;
    }
    TextRecord text = decoded.value();
    String body = text.getText();
    if (body == null || body.isBlank()) {
      deadLetter(
          record,
          source,
          DeadLetterReason.EMPTY_TEXT,
          "text of id '" + text.getId() + "' is empty");
      return;
    }
    if (body.length() > limits.maxChars()) {
      deadLetter(
          record,
          source,
          DeadLetterReason.TEXT_TOO_LONG,
          overLimit(text.getId(), body.length(), "chars", limits.maxChars(), TEXT_MAX_CHARS));
      return;
    }
    long stored = storedBytes(record, text.getId(), body);
    if (stored > limits.size().forValueAndHeaders()) {
      deadLetter(
          record,
          source,
          DeadLetterReason.TEXT_TOO_LONG,
          "text of id '"
              + text.getId()
              + "' needs "
              + stored
              + " bytes in the open-batch store (the record and its text in UTF-8), which fits"
              + " only "
              + limits.size().forValueAndHeaders()
              + " under the producer's max.request.size of "
              + limits.size().maxRequestSize()
              + "; to accept it, raise streams.producer.max.request.size and the"
              + " max.message.bytes of the topics written (streams.topic.max.message.bytes for"
              + " the changelog)");
      return;
    }
    int tokens;
    try {
      tokens = annotator.tokenCount(body);
    } catch (RuntimeException e) {
      deadLetter(record, source, DeadLetterReason.INFERENCE_FAILED, DeadLetters.describe(e));
      return;
    }
    if (tokens > limits.maxTokens()) {
      deadLetter(
          record,
          source,
          DeadLetterReason.TEXT_TOO_LONG,
          overLimit(text.getId(), tokens, "sub-tokens", limits.maxTokens(), TEXT_MAX_TOKENS));
      return;
    }
    List<Header> headers = new ArrayList<>();
    record.headers().forEach(headers::add);
    PendingText pending =
        new PendingText(
            source,
            record.key(),
            value,
            headers,
            record.timestamp(),
            context.currentSystemTimeMs(),
            text.getId(),
            body,
            text.getEventTime().toEpochMilli(),
            Math.max(1, tokens));
    context.forward(
        new Record<byte[], Object>(record.key(), pending, record.timestamp()), batcherName);
  }

  private static String overLimit(String id, long count, String unit, int limit, String setting) {
    return "text of id '%s' has %d %s, the limit is %d (setting %s)"
        .formatted(id, count, unit, limit, setting);
  }

  /** About the size of the record's entry in the open-batch store and its changelog. */
  private static long storedBytes(Record<byte[], byte[]> record, String id, String body) {
    return (record.key() == null ? 0 : record.key().length)
        + record.value().length
        + RecordSizeLimit.bytesOf(record.headers())
        + Utils.utf8Length(id)
        + Utils.utf8Length(body);
  }

  private void deadLetter(
      Record<byte[], byte[]> record,
      SourcePosition source,
      DeadLetterReason reason,
      String detail) {
    metrics.deadLettered(reason);
    LOG.warn(
        "Dead-lettering {} (model {}): {}: {}", source, annotator.modelVersion(), reason, detail);
    context.forward(
        DeadLetters.record(
            record.key(),
            record.value(),
            record.timestamp(),
            record.headers(),
            source,
            reason,
            detail,
            annotator.modelVersion()),
        deadLetterName);
  }
}
