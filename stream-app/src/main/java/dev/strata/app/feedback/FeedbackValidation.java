package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.DeadLetterReason;
import dev.strata.app.stream.DeadLetters;
import dev.strata.app.stream.RecordSizeLimit;
import dev.strata.app.stream.SourcePosition;
import dev.strata.app.stream.StreamMetrics;
import dev.strata.app.stream.WireRecordDecoder;
import dev.strata.schemas.avro.FeedbackRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes feedback bytes and validates them: valid records go on (to be keyed by head), anything
 * else is forwarded as a dead letter with the original bytes and {@code strata.dlq.*} headers
 * ({@code INVALID_FEEDBACK} with {@code strata.dlq.problem} for validation failures; the decoding
 * reasons of the text path otherwise). A registry outage fails the task instead, as for texts.
 */
final class FeedbackValidation implements Processor<byte[], byte[], byte[], FeedbackCheck> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackValidation.class);
  private static final String NO_MODEL = "-";

  /** The problem of a feedback record too large to store. */
  static final String TOO_LARGE = "TOO_LARGE";

  private final WireRecordDecoder<FeedbackRecord> decoder;
  private final FeedbackValidator validator;
  private final StreamMetrics streamMetrics;
  private final FeedbackMetrics metrics;
  private final String topic;
  private final RecordSizeLimit sizeLimit;
  private ProcessorContext<byte[], FeedbackCheck> context;

  FeedbackValidation(
      Deserializer<FeedbackRecord> deserializer,
      FeedbackValidator validator,
      StreamMetrics streamMetrics,
      FeedbackMetrics metrics,
      String topic,
      RecordSizeLimit sizeLimit) {
    this.decoder =
        new WireRecordDecoder<>(
            deserializer, "send FeedbackRecord values, e.g. with 'strata feedback'");
    this.validator = requireNonNull(validator, "validator");
    this.streamMetrics = requireNonNull(streamMetrics, "streamMetrics");
    this.metrics = requireNonNull(metrics, "metrics");
    this.topic = requireNonNull(topic, "topic");
    this.sizeLimit = requireNonNull(sizeLimit, "sizeLimit");
  }

  @Override
  public void init(ProcessorContext<byte[], FeedbackCheck> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourcePosition source = SourcePosition.of(context, topic);
    WireRecordDecoder.Decoded<FeedbackRecord> decoded = decoder.decode(source, record.value());
    if (decoded.isRejected()) {
      deadLetter(record, source, decoded.reason(), null, decoded.detail());
      return;
    }
    FeedbackRecord feedback = decoded.value();
    long size = record.value().length + RecordSizeLimit.bytesOf(record.headers());
    FeedbackVerdict verdict =
        size > sizeLimit.forValueAndHeaders()
            ? FeedbackVerdict.invalid(
                TOO_LARGE,
                "the record has "
                    + size
                    + " bytes of value and headers; the application stores each example (a"
                    + " repartition topic, a changelog), which fits only "
                    + sizeLimit.forValueAndHeaders()
                    + " under the producer's max.request.size of "
                    + sizeLimit.maxRequestSize()
                    + ". Send shorter examples, or raise streams.producer.max.request.size and"
                    + " the max.message.bytes of the internal topics"
                    + " (streams.topic.max.message.bytes).")
            : validator.check(feedback);
    if (!verdict.valid()) {
      metrics.invalid(verdict.problem());
      deadLetter(
          record, source, DeadLetterReason.INVALID_FEEDBACK, verdict.problem(), verdict.message());
      return;
    }
    context.forward(
        new Record<>(
            record.key(), FeedbackCheck.accept(feedback), record.timestamp(), record.headers()));
  }

  private void deadLetter(
      Record<byte[], byte[]> record,
      SourcePosition source,
      DeadLetterReason reason,
      String problem,
      String detail) {
    streamMetrics.feedbackDeadLettered(reason);
    LOG.warn(
        "Dead-lettering feedback {}: {}{}: {}",
        source,
        reason,
        problem == null ? "" : " " + problem,
        detail);
    Record<byte[], Object> dl =
        DeadLetters.record(
            record.key(),
            record.value(),
            record.timestamp(),
            record.headers(),
            source,
            reason,
            detail,
            NO_MODEL);
    if (problem != null) {
      DeadLetters.put(dl.headers(), DeadLetters.PROBLEM, problem);
    }
    context.forward(
        new Record<>(dl.key(), FeedbackCheck.reject(record.value()), dl.timestamp(), dl.headers()));
  }
}
