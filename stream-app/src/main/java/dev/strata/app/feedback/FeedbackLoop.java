package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.StrataConfig;
import dev.strata.schemas.avro.HeadRecord;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback loop's background parts of one running instance: the heads topic (created compacted
 * when missing), the {@link HeadsWatcher} thread (always, when the annotator can swap), and the
 * {@link Retrainer} with its {@link HeadPublisher} (when a {@link HeadRefiner} is given).
 */
public final class FeedbackLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackLoop.class);

  private final HeadsWatcher watcher;
  private final Thread watcherThread;
  private final Retrainer retrainer;
  private final HeadPublisher publisher;
  private final HeadCatalog catalog;

  private FeedbackLoop(
      HeadsWatcher watcher,
      Thread watcherThread,
      Retrainer retrainer,
      HeadPublisher publisher,
      HeadCatalog catalog) {
    this.watcher = watcher;
    this.watcherThread = watcherThread;
    this.retrainer = retrainer;
    this.publisher = publisher;
    this.catalog = catalog;
  }

  /** Consumer settings of the watcher and the {@code heads} commands: no group, read_committed. */
  public static Properties watcherProperties(StrataConfig config) {
    Properties p = config.clientProperties();
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(
        ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(config.headsMaxBytes()));
    p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(config.headsMaxBytes()));
    return p;
  }

  /** Producer settings of the publisher: idempotent, acks=all, room for a head. */
  public static Properties publisherProperties(StrataConfig config) {
    Properties p = config.clientProperties();
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(config.headsMaxBytes()));
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(2L * config.headsMaxBytes()));
    return p;
  }

  /** Publishes a version, then deletes the history beyond the newest {@code keep}. */
  private static Consumer<HeadRecord> publishAndPrune(
      HeadPublisher publisher, HeadCatalog catalog, int keep) {
    HistoryPruner pruner = new HistoryPruner(catalog, publisher, keep);
    return r -> {
      publisher.publish(r);
      pruner.afterPublishing(r);
    };
  }

  /**
   * Creates the heads topic if needed and starts the watcher and (with a refiner) the retrainer.
   *
   * @param refiner {@code null}: this instance serves published heads but never trains
   */
  public static FeedbackLoop start(
      StrataConfig config,
      KafkaStreams streams,
      SwappableAnnotator annotator,
      Serde<HeadRecord> headSerde,
      HeadRefiner refiner,
      FeedbackMetrics metrics) {
    requireNonNull(config, "config");
    requireNonNull(streams, "streams");
    requireNonNull(annotator, "annotator");
    requireNonNull(headSerde, "headSerde");
    requireNonNull(metrics, "metrics");
    try (Admin admin = Admin.create(config.clientProperties())) {
      HeadsTopic.ensureExists(admin, config.headsTopic(), config.headsMaxBytes());
    }
    HeadCatalog catalog = new HeadCatalog();
    HeadsWatcher watcher =
        new HeadsWatcher(
            new KafkaConsumer<>(
                watcherProperties(config),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer()),
            config.headsTopic(),
            headSerde.deserializer(),
            new HeadSwapper(annotator),
            catalog,
            metrics);
    Thread thread = new Thread(watcher, "strata-heads-watcher");
    thread.setDaemon(true);
    thread.start();
    Retrainer retrainer = null;
    HeadPublisher publisher = null;
    try {
      if (refiner != null) {
        publisher =
            new HeadPublisher(
                new KafkaProducer<>(
                    publisherProperties(config),
                    new ByteArraySerializer(),
                    new ByteArraySerializer()),
                config.headsTopic(),
                headSerde.serializer());
        retrainer =
            Retrainer.builder()
                .setSource(new StoreFeedbackSource(streams))
                .setCatalog(catalog)
                .setRefiner(refiner)
                .setPublisher(publishAndPrune(publisher, catalog, config.headsHistoryKeep()))
                .setTrigger(
                    new RetrainTrigger(config.retrainMinNewExamples(), config.retrainInterval()))
                .optMetrics(metrics)
                .optReady(watcher::upToDate)
                .build();
        retrainer.start(config.retrainCheck());
        LOG.info(
            "Retraining heads this instance owns after {} new examples or {} (checked every {})",
            config.retrainMinNewExamples(),
            config.retrainInterval(),
            config.retrainCheck());
      } else {
        LOG.info("No head refiner: this instance serves published heads but does not retrain");
      }
    } catch (RuntimeException e) {
      // e.g. a bad producer setting: stop what already runs before reporting it
      watcher.close();
      if (retrainer != null) {
        retrainer.close();
      }
      if (publisher != null) {
        publisher.close();
      }
      throw e;
    }
    return new FeedbackLoop(watcher, thread, retrainer, publisher, catalog);
  }

  /**
   * Waits, at most {@code timeout}, until the heads watcher has read the heads topic to where it
   * ended at start, so that the published heads serve from the first batch.
   *
   * @return whether it caught up in time
   */
  public boolean awaitCaughtUp(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!watcher.caughtUp() && !watcher.failed() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    return watcher.caughtUp();
  }

  /** Whether the published heads were read up to the topic's end at start. */
  public boolean caughtUp() {
    return watcher.caughtUp();
  }

  /** Whether the heads watcher still runs (it ends only on an unexpected failure or at close). */
  public boolean healthy() {
    return !watcher.failed();
  }

  /** What this instance knows of the heads topic. */
  public HeadCatalog catalog() {
    return catalog;
  }

  @Override
  public void close() {
    stop();
    awaitStopped(Duration.ofSeconds(30));
  }

  /** Asks the retrainer and the heads watcher to stop, without waiting. */
  public void stop() {
    if (retrainer != null) {
      retrainer.stop();
    }
    watcher.close();
  }

  /**
   * Waits, at most {@code timeout} each, for the retrainer and the watcher to end, then closes the
   * publisher.
   *
   * @return whether both ended: if not, a refinement or a head load may still use the model
   */
  public boolean awaitStopped(Duration timeout) {
    boolean stopped = retrainer == null || retrainer.awaitStopped(timeout);
    try {
      watcherThread.join(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped &= !watcherThread.isAlive();
    if (publisher != null) {
      publisher.close();
    }
    if (!stopped) {
      LOG.warn("The retrainer or the heads watcher did not stop within {}", timeout);
    }
    return stopped;
  }
}
