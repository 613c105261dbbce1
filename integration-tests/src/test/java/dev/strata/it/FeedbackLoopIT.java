package dev.strata.it;

import static dev.strata.it.Pipeline.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.feedback.HeadRecords;
import dev.strata.app.feedback.HeadSwapper;
import dev.strata.app.feedback.HeadsTopic;
import dev.strata.app.feedback.StoreFeedbackSource;
import dev.strata.app.feedback.SwappableAnnotator;
import dev.strata.app.model.EntityTaggerAnnotator;
import dev.strata.app.model.ModelFeedbackValidator;
import dev.strata.app.model.ModelHeadRefiner;
import dev.strata.app.model.ServingModelSnapshot;
import dev.strata.app.stream.DeadLetterReason;
import dev.strata.app.stream.DeadLetters;
import dev.strata.app.stream.StrataApp;
import dev.strata.app.stream.StrataConfig;
import dev.strata.it.Products.Labeled;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.feedback.RefineSettings;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServingModel;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop on the real broker and registry, wired as {@code strata run} wires it: the base
 * CoNLL head from {@link TrainedTagger} serves as {@value #BASE}; synthetic feedback ({@link
 * Products}) teaches a new head {@value #HEAD} a new entity type {@value #TYPE}; the retrainer
 * publishes it on the heads topic and every later record carries both heads. Invalid feedback is
 * dead-lettered; corrupt, truncated and incompatible head records are rejected while the
 * application keeps running; a restarted instance restores the feedback and does not retrain; more
 * feedback refines the head; {@code stream-eval}, {@code heads list} and {@code heads rollback}
 * work on the real topics.
 *
 * <p>One scenario, one test: each step below depends on the state the previous one left on the
 * topics. The steps are the named methods the test calls in order.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class FeedbackLoopIT {
  static final String BASE = "base";
  static final String HEAD = "products";
  static final String TYPE = Products.TYPE;
  static final int FEEDBACK = 80;
  static final int HEADS_MAX_BYTES = 16 * 1024 * 1024;

  /** A sentence for the base head: every annotation round ends with it. */
  static final String CONLL_TEXT = "Angela Merkel visited Paris on Monday .";

  @TempDir Path stateDir;
  @TempDir Path cacheDir;
  @TempDir Path configDir;

  private final ConfluentAvroSerde<FeedbackRecord> feedbackSerde =
      new ConfluentAvroSerde<>(FeedbackRecord.class);
  private final ConfluentAvroSerde<HeadRecord> headSerde =
      new ConfluentAvroSerde<>(HeadRecord.class);

  /** Every annotator an instance was started with; their models are closed at the end. */
  private final List<SwappableAnnotator> annotators = new ArrayList<>();

  /** Unseen product sentences, sent in every annotation round. */
  private final List<Labeled> unseen = Products.unseen(6);

  private Pipeline p;
  private KafkaProducer<byte[], byte[]> producer;
  private LoadedBackbone backbone;
  private HeadArtifact base;
  private ModelHeadRefiner refiner;
  private int metricsPort;

  /** The running instance. */
  private StrataApp app;

  /** Each round: the {@link #unseen} sentences, then {@link #CONLL_TEXT}. */
  private AnnotationRounds rounds;

  @Test
  void newHeadLearnsFromFeedbackAndBadFeedbackAndBadHeadsAreRejected(EntityTaggerAnnotator trained)
      throws Exception {
    long t0 = System.nanoTime();
    assertThat(trained.modelVersion()).isNotBlank();
    base = HeadArtifact.parse(Files.readAllBytes(TrainedTagger.modelFile()));
    metricsPort = freePort();
    try (Pipeline pipeline = new Pipeline("feedback", 1, stateDir);
        LoadedBackbone loaded = LoadedBackbone.open(TrainedTagger.BACKBONE, "cpu");
        KafkaProducer<byte[], byte[]> kafkaProducer =
            pipeline.kafka.producer(
                Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, HEADS_MAX_BYTES))) {
      p = pipeline;
      backbone = loaded;
      producer = kafkaProducer;
      List<String> texts = new ArrayList<>();
      unseen.forEach(s -> texts.add(s.text()));
      texts.add(CONLL_TEXT);
      rounds = new AnnotationRounds(p, producer, texts, HEAD);
      configure();
      try {
        app = startInstance();
        Instant feedbackSent = Instant.now();
        byte[] invalid = sendInvalidFeedback();
        sendFeedback(Products.feedback(FEEDBACK));
        invalidFeedbackIsDeadLettered(invalid);
        HeadRecord v1 = retrainerPublishesTheNewHead();
        long retrainSeconds = Duration.between(feedbackSent, Instant.now()).toSeconds();
        String v1Version = HeadSwapper.versionString(v1);
        System.out.printf(
            "[strata-it] feedback → published %s v1 in %d s (holdout F1 %.3f)%n",
            HEAD, retrainSeconds, v1.getCandidateF1());
        laterRecordsCarryTheNewAndTheBaseHead(v1Version);
        badHeadRecordsAreRejected(v1, v1Version);
        restartedInstanceRestoresFeedbackAndDoesNotRetrain(v1Version);

        Instant moreSent = Instant.now();
        Path config = p.writeProperties(configDir.resolve("strata.properties"));
        HeadRecord v2 = moreFeedbackRefinesTheHead(config);
        long refineSeconds = Duration.between(moreSent, Instant.now()).toSeconds();
        laterRecordsCarryTheRefinedVersion(HeadSwapper.versionString(v2));
        streamEvalScoresTheServingHead(config, HeadSwapper.versionString(v2));
        headsListAndRollbackUseTheTopic(config, v1, v2);
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        System.out.printf(
            "[strata-it] FeedbackLoopIT: new head v1 %d s after its feedback was sent, refined v2"
                + " %d s after; whole test %.1f s%n",
            retrainSeconds, refineSeconds, (System.nanoTime() - t0) / 1e9);
      } finally {
        if (app != null) {
          app.close();
        }
        for (SwappableAnnotator a : annotators) {
          ((ServingModelSnapshot) a.current()).model().close();
        }
        feedbackSerde.close();
        headSerde.close();
      }
    }
  }

  /** The settings of {@code strata run} with the feedback loop, and the refiner it builds. */
  private void configure() {
    Map<String, Object> serde =
        Map.of(StrataConfig.SCHEMA_REGISTRY_URL, p.infra.schemaRegistryUrl());
    feedbackSerde.configure(serde, false);
    headSerde.configure(serde, false);
    p.set(StrataConfig.MODEL_HEAD_NAME, BASE)
        .set(StrataConfig.HEADS_MAX_BYTES, HEADS_MAX_BYTES)
        .set(StrataConfig.RETRAIN_MIN_NEW_EXAMPLES, FEEDBACK)
        .set(StrataConfig.RETRAIN_INTERVAL_MS, 3_600_000L)
        .set(StrataConfig.RETRAIN_CHECK_MS, 500L)
        .set(StrataConfig.METRICS_PORT, metricsPort)
        // Kafka Streams does not leave the group on close: the restarted instance waits for the
        // old member's session to time out (default 45 s; broker minimum 6 s).
        .set(StrataConfig.STREAMS_PREFIX + "session.timeout.ms", "6000");
    refiner =
        new ModelHeadRefiner(
            backbone,
            RefineSettings.builder().setCacheDir(cacheDir).build(),
            Map.of(BASE, base),
            Map.of());
  }

  /** Starts an instance serving what {@code strata run} serves at start: the base head only. */
  private StrataApp startInstance() throws InterruptedException {
    SwappableAnnotator annotator =
        new SwappableAnnotator(
            new ServingModelSnapshot(
                ServingModel.empty(backbone)
                    .withHead(BASE, "file:" + base.sha256().substring(0, 12), base)));
    annotators.add(annotator);
    return p.start(annotator, new StrataApp.FeedbackParts(new ModelFeedbackValidator(), refiner));
  }

  /** Sends feedback whose tokens and tags differ in length; returns the record's bytes. */
  private byte[] sendInvalidFeedback() throws Exception {
    byte[] invalid =
        feedbackSerde
            .serializer()
            .serialize(
                p.feedback,
                FeedbackRecord.newBuilder()
                    .setId("bad-1")
                    .setText("Acme Rocket ships today")
                    .setHead(HEAD)
                    .setTokens(List.of("Acme", "Rocket", "ships", "today"))
                    .setTags(List.of("B-" + TYPE, "I-" + TYPE, "O"))
                    .setSource("strata-it")
                    .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L))
                    .build());
    producer.send(new ProducerRecord<>(p.feedback, Pipeline.key("bad-1"), invalid)).get();
    return invalid;
  }

  /**
   * Valid feedback for {@value #HEAD}: every fourth sentence as a character span, the rest tagged.
   */
  private void sendFeedback(List<Labeled> sentences) {
    for (int i = 0; i < sentences.size(); i++) {
      Labeled s = sentences.get(i);
      byte[] value = feedbackSerde.serializer().serialize(p.feedback, s.feedback(HEAD, i % 4 == 3));
      producer.send(new ProducerRecord<>(p.feedback, Pipeline.key(s.id()), value));
    }
    producer.flush();
  }

  private void invalidFeedbackIsDeadLettered(byte[] invalid) {
    List<ConsumerRecord<byte[], byte[]>> dead =
        p.kafka.readCommitted(
            p.deadLetters, r -> !r.isEmpty(), Duration.ofSeconds(60), Duration.ofSeconds(1));
    assertThat(dead).as("dead letters").hasSize(1);
    assertThat(header(dead.get(0), DeadLetters.REASON))
        .isEqualTo(DeadLetterReason.INVALID_FEEDBACK.name());
    assertThat(header(dead.get(0), DeadLetters.PROBLEM)).isEqualTo("TOKENS_TAGS_LENGTH_MISMATCH");
    assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(p.feedback);
    assertThat(dead.get(0).value()).isEqualTo(invalid);
    assertThat(dead.get(0).key()).isEqualTo(Pipeline.key("bad-1"));
  }

  /** The retrainer publishes v1 of the new head: history record, then the serving pointer. */
  private HeadRecord retrainerPublishesTheNewHead() {
    List<ConsumerRecord<byte[], byte[]>> headRecords =
        p.kafka.readCommitted(p.heads, r -> r.size() >= 2, Duration.ofMinutes(5), Duration.ZERO);
    assertThat(headRecords).as("records on the heads topic").hasSize(2);
    List<HeadRecord> published = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : headRecords) {
      published.add(headSerde.deserializer().deserialize(p.heads, r.value()));
    }
    assertThat(keys(headRecords))
        .containsExactly(HeadsTopic.historyKey(HEAD, 1), HeadsTopic.pointerKey(HEAD));
    HeadRecord v1 = published.get(1);
    assertThat(published.get(0)).isEqualTo(v1);
    assertThat(v1.getName()).isEqualTo(HEAD);
    assertThat(v1.getVersion()).isEqualTo(1L);
    assertThat(v1.getBackbone()).isEqualTo(TrainedTagger.BACKBONE);
    assertThat(v1.getSha256()).isEqualTo(HeadRecords.sha256(HeadRecords.bytes(v1)));
    assertThat(v1.getParentVersion()).isNull();
    assertThat(v1.getFeedbackExamples()).isEqualTo(FEEDBACK);
    assertThat(v1.getCandidateF1()).isNotNull().isGreaterThan(0.8);
    assertThat(v1.getServingF1()).as("no serving version of a new head").isNull();
    return v1;
  }

  /** Unseen product names are found by the new head; the base head still tags its sentence. */
  private void laterRecordsCarryTheNewAndTheBaseHead(String v1Version) throws Exception {
    List<AnnotatedRecord> out = rounds.until("after-v1", v1Version);
    int found = 0;
    for (int i = 0; i < unseen.size(); i++) {
      if (spans(out.get(i), HEAD, TYPE).contains(unseen.get(i).entity())) {
        found++;
      }
      assertThat(out.get(i).getModel().getHeads()).containsEntry(HEAD, v1Version);
    }
    assertThat(found)
        .as("unseen product names found as %s by %s in %s", TYPE, HEAD, entities(out))
        .isGreaterThanOrEqualTo(unseen.size() - 1);
    AnnotatedRecord conll = out.get(unseen.size());
    assertThat(conll.getEntities())
        .as("base head entities in %s", conll.getEntities())
        .anyMatch(e -> e.getHead().equals(BASE));
    assertThat(conll.getModel().getHeads())
        .containsOnlyKeys(BASE, HEAD)
        .containsEntry(BASE, "file:" + base.sha256().substring(0, 12))
        .containsEntry(HEAD, v1Version);
  }

  /** Corrupt, truncated and incompatible head records are rejected; v1 keeps serving. */
  private void badHeadRecordsAreRejected(HeadRecord v1, String v1Version) throws Exception {
    byte[] bytes = HeadRecords.bytes(v1);
    byte[] flipped = bytes.clone();
    flipped[flipped.length / 2] ^= 0x5a;
    HeadRecord corrupt =
        HeadRecord.newBuilder(v1).setVersion(2).setHeadBytes(ByteBuffer.wrap(flipped)).build();
    byte[] cut = Arrays.copyOf(bytes, bytes.length / 2);
    HeadRecord truncated =
        HeadRecord.newBuilder(v1)
            .setVersion(3)
            .setSha256(HeadRecords.sha256(cut))
            .setHeadBytes(ByteBuffer.wrap(cut))
            .build();
    HeadRecord incompatible =
        HeadRecord.newBuilder(v1).setVersion(4).setBackbone("bert-base-cased").build();
    // one at a time: within one poll the watcher offers only the newest pointer of a head
    List<HeadRecord> bad = List.of(corrupt, truncated, incompatible);
    Map<String, Double> outcomes = Map.of();
    for (int i = 0; i < bad.size(); i++) {
      producer
          .send(
              new ProducerRecord<>(
                  p.heads,
                  HeadsTopic.pointerKey(HEAD).getBytes(StandardCharsets.UTF_8),
                  headSerde.serializer().serialize(p.heads, bad.get(i))))
          .get();
      int rejections = i + 1;
      outcomes =
          HeadCounters.await(
              metricsPort,
              HEAD,
              o -> HeadCounters.rejected(o) >= rejections,
              Duration.ofSeconds(60));
      assertThat(HeadCounters.rejected(outcomes))
          .as("rejections in %s", outcomes)
          .isEqualTo(rejections);
    }
    // a truncated head whose record checksum matches fails the head file's own checksum
    assertThat(outcomes)
        .containsEntry("REJECTED_CORRUPT", 2.0)
        .containsEntry("REJECTED_INCOMPATIBLE", 1.0)
        .containsEntry("SWAPPED", 1.0);
    for (AnnotatedRecord r : rounds.once("after-bad", v1Version)) {
      assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version);
    }
    assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  /**
   * A new instance restores the feedback store from its changelog, serves v1 (the newest pointers
   * on the heads topic are the three bad ones) and does not retrain what v1 was trained on.
   */
  private void restartedInstanceRestoresFeedbackAndDoesNotRetrain(String v1Version)
      throws Exception {
    app.close();
    app = null;
    int headRecordsBefore = readAllHeadRecords().size();
    app = startInstance();
    StoreFeedbackSource store = new StoreFeedbackSource(app.streams());
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (store.examples(HEAD).size() < FEEDBACK && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(store.examples(HEAD)).as("restored feedback").hasSize(FEEDBACK);
    rounds
        .until("restarted", v1Version)
        .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version));
    Thread.sleep(3_000); // several retrain checks
    assertThat(readAllHeadRecords())
        .as("nothing retrained after the restart")
        .hasSize(headRecordsBefore);
  }

  /** More feedback, sent with {@code strata feedback}, is published as v2, warm-started from v1. */
  private HeadRecord moreFeedbackRefinesTheHead(Path config) throws Exception {
    Path moreFile = Products.writeConll(configDir.resolve("more.conll"), Products.more(FEEDBACK));
    assertThat(
            cli(
                "feedback",
                "--config",
                config.toString(),
                "--head",
                HEAD,
                "--file",
                moreFile.toString()))
        .startsWith("exit 0")
        .contains("sent " + FEEDBACK + " feedback examples for head " + HEAD);
    HeadRecord v2 = awaitPublished(HeadsTopic.historyKey(HEAD, 2));
    assertThat(v2.getParentVersion()).isEqualTo(1L);
    assertThat(v2.getFeedbackExamples()).isEqualTo(2 * FEEDBACK);
    assertThat(v2.getServingF1()).as("v1 scored on the same holdout").isNotNull();
    assertThat(v2.getCandidateF1()).isGreaterThanOrEqualTo(v2.getServingF1() - 0.02);
    return v2;
  }

  /** Later records carry the refined version. */
  private void laterRecordsCarryTheRefinedVersion(String v2Version) throws Exception {
    rounds
        .until("after-v2", v2Version)
        .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v2Version));
  }

  /** {@code strata stream-eval} scores the serving head through the running pipeline. */
  private void streamEvalScoresTheServingHead(Path config, String v2Version) throws IOException {
    Path unseenFile = Products.writeConll(configDir.resolve("unseen.conll"), Products.unseen(24));
    String eval =
        cli(
            "stream-eval",
            "--config",
            config.toString(),
            "--head",
            HEAD,
            "--data",
            unseenFile.toString(),
            "--timeout",
            "PT60S");
    System.out.println("[strata-it] stream-eval of " + HEAD + " v2:\n" + eval);
    assertThat(eval).startsWith("exit 0").contains("24 annotated").contains(v2Version);
    Matcher all =
        Pattern.compile("(?m)^all\\s+(?:\\d+\\s+){3}\\S+\\s+\\S+\\s+(\\S+)").matcher(eval);
    assertThat(all.find()).as("micro row in %s", eval).isTrue();
    assertThat(Double.parseDouble(all.group(1))).as("entity F1 %% of %s", HEAD).isGreaterThan(80);
  }

  /** {@code strata heads list} and {@code heads rollback} read and write the real topic. */
  private void headsListAndRollbackUseTheTopic(Path config, HeadRecord v1, HeadRecord v2)
      throws Exception {
    String list = cli("heads", "list", "--config", config.toString());
    assertThat(list)
        .contains(v1.getSha256().substring(0, 12))
        .contains(v2.getSha256().substring(0, 12))
        .containsPattern("products\\s+\\*\\s+2 ");
    String rollback = cli("heads", "rollback", "--config", config.toString(), HEAD, "1");
    assertThat(rollback).startsWith("exit 0").contains("(was v2)");
    String missing = cli("heads", "rollback", "--config", config.toString(), HEAD, "9");
    assertThat(missing).doesNotStartWith("exit 0").contains("no intact version 9");
    String v1Version = HeadSwapper.versionString(v1);
    rounds
        .until("rolled-back", v1Version)
        .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version));
    assertThat(cli("heads", "list", "--config", config.toString()))
        .containsPattern("products\\s+\\*\\s+1 ")
        .contains("rolled back to v1 from v2");
  }

  private List<ConsumerRecord<byte[], byte[]>> readAllHeadRecords() {
    return p.kafka.readCommitted(p.heads, r -> false, Duration.ofSeconds(2), Duration.ZERO);
  }

  /** Waits (up to 5 minutes) for the record under {@code key} on the heads topic. */
  private HeadRecord awaitPublished(String key) {
    List<ConsumerRecord<byte[], byte[]>> read =
        p.kafka.readCommitted(
            p.heads, r -> keys(r).contains(key), Duration.ofMinutes(5), Duration.ZERO);
    for (ConsumerRecord<byte[], byte[]> r : read) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
        return headSerde.deserializer().deserialize(p.heads, r.value());
      }
    }
    throw new AssertionError("no record " + key + " on " + p.heads + " within 5 minutes");
  }

  private static List<String> spans(AnnotatedRecord r, String head, String label) {
    return r.getEntities().stream()
        .filter(e -> e.getHead().equals(head) && e.getLabel().equals(label))
        .map(EntitySpan::getText)
        .toList();
  }

  private static List<String> entities(List<AnnotatedRecord> records) {
    List<String> out = new ArrayList<>();
    for (AnnotatedRecord r : records) {
      out.add(
          r.getText()
              + " → "
              + r.getEntities().stream()
                  .map(e -> e.getHead() + ":" + e.getLabel() + ":" + e.getText())
                  .toList());
    }
    return out;
  }

  private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> new String(r.key(), StandardCharsets.UTF_8)).toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Runs the CLI in this JVM; returns its exit code and what it printed (out and err). */
  private static String cli(String... args) {
    return Cli.run(args).toString();
  }
}
