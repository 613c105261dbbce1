package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.schemas.avro.TextRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces the sample texts to the input topic at a steady rate on its own thread: each text once,
 * or cycling until closed. Record ids (also the keys) are {@code <runId>-<n>}, so the printer can
 * tell this run's outputs from older ones.
 */
final class TextFeeder implements AutoCloseable {
  private final Producer<String, TextRecord> producer;
  private final String topic;
  private final List<String> texts;
  private final String runId;
  private final Duration interval;
  private final boolean once;
  private final Thread thread;
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile boolean finished;
  private volatile boolean closed;

  TextFeeder(
      Producer<String, TextRecord> producer,
      String topic,
      List<String> texts,
      String runId,
      Duration interval,
      boolean once) {
    this.producer = requireNonNull(producer, "producer");
    this.topic = requireNonNull(topic, "topic");
    this.texts = List.copyOf(texts);
    this.runId = requireNonNull(runId, "runId");
    this.interval = requireNonNull(interval, "interval");
    this.once = once;
    this.thread = new Thread(this::feed, "strata-demo-feeder");
    this.thread.setDaemon(true);
  }

  /** The id of the {@code n}-th text sent (0-based) in a run. */
  static String recordId(String runId, long n) {
    return runId + "-" + n;
  }

  void start() {
    thread.start();
  }

  /** Texts handed to the producer so far. */
  int sent() {
    return sent.get();
  }

  /** Whether every text was sent (only with {@code once}). */
  boolean finished() {
    return finished;
  }

  /** The first send failure, or {@code null}. */
  Exception failure() {
    return failure.get();
  }

  private void feed() {
    try {
      for (long n = 0; !closed && failure.get() == null; n++) {
        if (once && n == texts.size()) {
          producer.flush();
          finished = true;
          return;
        }
        String text = texts.get((int) (n % texts.size()));
        String id = recordId(runId, n);
        TextRecord record =
            TextRecord.newBuilder()
                .setId(id)
                .setText(text)
                .setLanguage("en")
                .setEventTime(Instant.now())
                .setMetadata(Map.of("source", "strata-demo"))
                .build();
        producer.send(
            new ProducerRecord<>(topic, id, record),
            (meta, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
        sent.incrementAndGet();
        Thread.sleep(interval.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failure.compareAndSet(null, e);
    }
  }

  /** Stops sending and closes the producer (waiting up to 10 s for records in flight). */
  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(10));
  }
}
