package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.app.cli.StrataCommand;
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
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.feedback.RefineSettings;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.ServingModel;
import dev.strata.schemas.avro.AnnotatedRecord;
import dev.strata.schemas.avro.EntitySpan;
import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.HeadRecord;
import dev.strata.schemas.serde.ConfluentAvroSerde;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The feedback loop on the real broker and registry, wired as {@code strata run} wires it: the base
 * CoNLL head from {@link TrainedTagger} serves as {@value #BASE}; synthetic feedback teaches a new
 * head {@value #HEAD} a new entity type {@value #TYPE}; the retrainer publishes it on the heads
 * topic and every later record carries both heads. Invalid feedback is dead-lettered; corrupt,
 * truncated and incompatible head records are rejected while the application keeps running; {@code
 * heads list} and {@code heads rollback} read and write the real topic.
 */
@RealInfra.Required
@ExtendWith(TrainedTagger.class)
class FeedbackLoopIT {
  static final String BASE = "base";
  static final String HEAD = "products";
  static final String TYPE = "PROD";
  static final int FEEDBACK = 80;
  static final int HEADS_MAX_BYTES = 16 * 1024 * 1024;

  @TempDir Path stateDir;
  @TempDir Path cacheDir;
  @TempDir Path configDir;

  @Test
  void newHeadLearnsFromFeedbackAndBadFeedbackAndBadHeadsAreRejected(EntityTaggerAnnotator trained)
      throws Exception {
    long t0 = System.nanoTime();
    Path modelFile = TrainedTagger.modelFile();
    assertThat(trained.modelVersion()).isNotBlank();
    HeadArtifact base = HeadArtifact.parse(Files.readAllBytes(modelFile));
    int metricsPort = freePort();
    ConfluentAvroSerde<FeedbackRecord> feedbackSerde =
        new ConfluentAvroSerde<>(FeedbackRecord.class);
    ConfluentAvroSerde<HeadRecord> headSerde = new ConfluentAvroSerde<>(HeadRecord.class);
    try (Pipeline p = new Pipeline("feedback", 1, stateDir);
        LoadedBackbone backbone = LoadedBackbone.open(TrainedTagger.BACKBONE, "cpu");
        KafkaProducer<byte[], byte[]> producer =
            p.kafka.producer(Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, HEADS_MAX_BYTES))) {
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
      SwappableAnnotator annotator =
          new SwappableAnnotator(new ServingModelSnapshot(initialModel(backbone, base)));
      SwappableAnnotator annotator2 = null;
      ModelHeadRefiner refiner =
          new ModelHeadRefiner(
              backbone,
              RefineSettings.builder().setCacheDir(cacheDir).build(),
              Map.of(BASE, base),
              Map.of());
      StrataApp app = null;
      try {
        app = startAndWait(p, annotator, refiner);
        Instant feedbackSent = Instant.now();

        // (b) invalid feedback → dead letter with the problem header
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

        // (a) valid feedback for a new head with a new entity type
        List<Labeled> first = Products.feedback(FEEDBACK);
        for (int i = 0; i < first.size(); i++) {
          Labeled s = first.get(i);
          byte[] value =
              feedbackSerde.serializer().serialize(p.feedback, s.feedback(HEAD, i % 4 == 3));
          producer.send(new ProducerRecord<>(p.feedback, Pipeline.key(s.id()), value));
        }
        producer.flush();

        List<ConsumerRecord<byte[], byte[]>> dead =
            p.kafka.readCommitted(
                p.deadLetters, r -> !r.isEmpty(), Duration.ofSeconds(60), Duration.ofSeconds(1));
        assertThat(dead).as("dead letters").hasSize(1);
        assertThat(header(dead.get(0), DeadLetters.REASON))
            .isEqualTo(DeadLetterReason.INVALID_FEEDBACK.name());
        assertThat(header(dead.get(0), DeadLetters.PROBLEM))
            .isEqualTo("TOKENS_TAGS_LENGTH_MISMATCH");
        assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(p.feedback);
        assertThat(dead.get(0).value()).isEqualTo(invalid);
        assertThat(dead.get(0).key()).isEqualTo(Pipeline.key("bad-1"));

        // the retrainer publishes v1 of the new head: history record, then the serving pointer
        List<HeadRecord> published = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> headRecords =
            p.kafka.readCommitted(
                p.heads, r -> r.size() >= 2, Duration.ofMinutes(5), Duration.ZERO);
        long retrainSeconds = Duration.between(feedbackSent, Instant.now()).toSeconds();
        assertThat(headRecords).as("records on the heads topic").hasSize(2);
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
        String v1Version = HeadSwapper.versionString(v1);
        System.out.printf(
            "[strata-it] feedback → published %s v1 in %d s (holdout F1 %.3f)%n",
            HEAD, retrainSeconds, v1.getCandidateF1());

        // later records carry the new head's entities, and the base head's
        List<String> productTexts = new ArrayList<>();
        List<String> productNames = new ArrayList<>();
        for (Labeled s : Products.unseen(6)) {
          productTexts.add(s.text());
          productNames.add(s.entity());
        }
        String conllText = "Angela Merkel visited Paris on Monday .";
        List<AnnotatedRecord> out =
            annotateUntil(p, producer, "after-v1", productTexts, conllText, v1Version);
        int found = 0;
        for (int i = 0; i < productTexts.size(); i++) {
          List<String> prods = spans(out.get(i), HEAD, TYPE);
          if (prods.contains(productNames.get(i))) {
            found++;
          }
          assertThat(out.get(i).getModel().getHeads()).containsEntry(HEAD, v1Version);
        }
        assertThat(found)
            .as("unseen product names found as %s by %s in %s", TYPE, HEAD, entities(out))
            .isGreaterThanOrEqualTo(productTexts.size() - 1);
        AnnotatedRecord conll = out.get(productTexts.size());
        assertThat(conll.getEntities())
            .as("base head entities in %s", conll.getEntities())
            .anyMatch(e -> e.getHead().equals(BASE));
        assertThat(conll.getModel().getHeads())
            .containsOnlyKeys(BASE, HEAD)
            .containsEntry(BASE, "file:" + base.sha256().substring(0, 12))
            .containsEntry(HEAD, v1Version);

        // (c) corrupt, truncated and incompatible head records are rejected; v1 keeps serving
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
              awaitCounters(
                  metricsPort, HEAD, o -> rejected(o) >= rejections, Duration.ofSeconds(60));
          assertThat(rejected(outcomes)).as("rejections in %s", outcomes).isEqualTo(rejections);
        }
        // a truncated head whose record checksum matches fails the head file's own checksum
        assertThat(outcomes)
            .containsEntry("REJECTED_CORRUPT", 2.0)
            .containsEntry("REJECTED_INCOMPATIBLE", 1.0)
            .containsEntry("SWAPPED", 1.0);
        List<AnnotatedRecord> after =
            annotate(p, producer, "after-bad", productTexts, conllText, v1Version);
        for (AnnotatedRecord r : after) {
          assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version);
        }
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);

        // restart: a new instance restores the feedback store from its changelog, serves v1 (the
        // newest pointers on the heads topic are the three bad ones) and does not retrain what v1
        // was trained on
        app.close();
        app = null;
        int headRecordsBefore = readAll(p).size();
        annotator2 = new SwappableAnnotator(new ServingModelSnapshot(initialModel(backbone, base)));
        app = startAndWait(p, annotator2, refiner);
        StoreFeedbackSource store = new StoreFeedbackSource(app.streams());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (store.examples(HEAD).size() < FEEDBACK && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertThat(store.examples(HEAD)).as("restored feedback").hasSize(FEEDBACK);
        annotateUntil(p, producer, "restarted", productTexts, conllText, v1Version)
            .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version));
        Thread.sleep(3_000); // several retrain checks
        assertThat(readAll(p)).as("nothing retrained after the restart").hasSize(headRecordsBefore);

        // more feedback for the same head: a refined v2, warm-started from v1
        Instant moreSent = Instant.now();
        Path config = p.writeProperties(configDir.resolve("strata.properties"));
        Path moreFile =
            Products.writeConll(configDir.resolve("more.conll"), Products.more(FEEDBACK));
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
        HeadRecord v2 = awaitPublished(p, headSerde, HeadsTopic.historyKey(HEAD, 2));
        long refineSeconds = Duration.between(moreSent, Instant.now()).toSeconds();
        assertThat(v2.getParentVersion()).isEqualTo(1L);
        assertThat(v2.getFeedbackExamples()).isEqualTo(2 * FEEDBACK);
        assertThat(v2.getServingF1()).as("v1 scored on the same holdout").isNotNull();
        assertThat(v2.getCandidateF1()).isGreaterThanOrEqualTo(v2.getServingF1() - 0.02);
        String v2Version = HeadSwapper.versionString(v2);
        annotateUntil(p, producer, "after-v2", productTexts, conllText, v2Version)
            .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v2Version));

        // stream-eval scores the serving head through the running pipeline
        Path unseenFile =
            Products.writeConll(configDir.resolve("unseen.conll"), Products.unseen(24));
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
        assertThat(Double.parseDouble(all.group(1)))
            .as("entity F1 %% of %s", HEAD)
            .isGreaterThan(80);

        // heads list and heads rollback through the CLI on the real topic
        String list = cli("heads", "list", "--config", config.toString());
        assertThat(list)
            .contains(v1.getSha256().substring(0, 12))
            .contains(v2.getSha256().substring(0, 12))
            .containsPattern("products\\s+\\*\\s+2 ");
        String rollback = cli("heads", "rollback", "--config", config.toString(), HEAD, "1");
        assertThat(rollback).startsWith("exit 0").contains("(was v2)");
        String missing = cli("heads", "rollback", "--config", config.toString(), HEAD, "9");
        assertThat(missing).doesNotStartWith("exit 0").contains("no intact version 9");
        annotateUntil(p, producer, "rolled-back", productTexts, conllText, v1Version)
            .forEach(r -> assertThat(r.getModel().getHeads()).containsEntry(HEAD, v1Version));
        assertThat(cli("heads", "list", "--config", config.toString()))
            .containsPattern("products\\s+\\*\\s+1 ")
            .contains("rolled back to v1 from v2");
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
        System.out.printf(
            "[strata-it] FeedbackLoopIT: new head v1 %d s after its feedback was sent, refined v2"
                + " %d s after; whole test %.1f s%n",
            retrainSeconds, refineSeconds, (System.nanoTime() - t0) / 1e9);
      } finally {
        if (app != null) {
          app.close();
        }
        ((ServingModelSnapshot) annotator.current()).model().close();
        if (annotator2 != null) {
          ((ServingModelSnapshot) annotator2.current()).model().close();
        }
        feedbackSerde.close();
        headSerde.close();
      }
    }
  }

  /** What {@code strata run} serves at start: the model file's head as {@value #BASE}. */
  private static ServingModel initialModel(LoadedBackbone backbone, HeadArtifact base) {
    return ServingModel.empty(backbone)
        .withHead(BASE, "file:" + base.sha256().substring(0, 12), base);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(Pipeline p) {
    return p.kafka.readCommitted(p.heads, r -> false, Duration.ofSeconds(2), Duration.ZERO);
  }

  /** Waits (up to 5 minutes) for the record under {@code key} on the heads topic. */
  private static HeadRecord awaitPublished(
      Pipeline p, ConfluentAvroSerde<HeadRecord> serde, String key) {
    List<ConsumerRecord<byte[], byte[]>> read =
        p.kafka.readCommitted(
            p.heads, r -> keys(r).contains(key), Duration.ofMinutes(5), Duration.ZERO);
    for (ConsumerRecord<byte[], byte[]> r : read) {
      if (new String(r.key(), StandardCharsets.UTF_8).equals(key)) {
        return serde.deserializer().deserialize(p.heads, r.value());
      }
    }
    throw new AssertionError("no record " + key + " on " + p.heads + " within 5 minutes");
  }

  private static StrataApp startAndWait(
      Pipeline p, SwappableAnnotator annotator, ModelHeadRefiner refiner)
      throws InterruptedException {
    StrataApp app =
        StrataApp.start(
            p.config(),
            annotator,
            new StrataApp.FeedbackParts(new ModelFeedbackValidator(), refiner));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.streams().state() != KafkaStreams.State.RUNNING) {
      if (System.nanoTime() > deadline) {
        KafkaStreams.State s = app.streams().state();
        app.close();
        throw new IllegalStateException(
            p.applicationId + " did not reach RUNNING (state " + s + ")");
      }
      Thread.sleep(50);
    }
    return app;
  }

  /**
   * Sends the texts in rounds (ids {@code prefix.round-i}) until every record of a round carries
   * {@code expectedVersion} of {@value #HEAD} (a published head serves once the watcher swapped it
   * in), and returns that round's records; fails after 60 s.
   */
  private static List<AnnotatedRecord> annotateUntil(
      Pipeline p,
      KafkaProducer<byte[], byte[]> producer,
      String prefix,
      List<String> texts,
      String conllText,
      String expectedVersion)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    for (int round = 0; ; round++) {
      List<AnnotatedRecord> out =
          annotate(p, producer, prefix + "." + round, texts, conllText, expectedVersion);
      boolean all =
          out.stream().allMatch(r -> expectedVersion.equals(r.getModel().getHeads().get(HEAD)));
      if (all || System.nanoTime() > deadline) {
        return out;
      }
      Thread.sleep(500);
    }
  }

  /**
   * Sends the texts (ids {@code prefix-i}) and returns their annotated records in that order; the
   * records are read from the whole output topic, so earlier rounds are skipped by id.
   */
  private static List<AnnotatedRecord> annotate(
      Pipeline p,
      KafkaProducer<byte[], byte[]> producer,
      String prefix,
      List<String> texts,
      String conllText,
      String expectedVersion)
      throws Exception {
    List<String> all = new ArrayList<>(texts);
    all.add(conllText);
    for (int i = 0; i < all.size(); i++) {
      String id = prefix + "-" + i;
      producer.send(
          new ProducerRecord<>(p.input, Pipeline.key(id), p.encode(Pipeline.text(id, all.get(i)))));
    }
    producer.flush();
    List<ConsumerRecord<byte[], byte[]>> read =
        p.kafka.readCommitted(
            p.output,
            r ->
                r.stream()
                        .filter(
                            c ->
                                new String(c.key(), StandardCharsets.UTF_8)
                                    .startsWith(prefix + "-"))
                        .count()
                    >= all.size(),
            Duration.ofSeconds(120),
            Duration.ZERO);
    AnnotatedRecord[] out = new AnnotatedRecord[all.size()];
    for (ConsumerRecord<byte[], byte[]> c : read) {
      AnnotatedRecord r = p.decode(c.value());
      if (r.getInputId().startsWith(prefix + "-")) {
        out[Integer.parseInt(r.getInputId().substring(prefix.length() + 1))] = r;
      }
    }
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i])
          .as("annotated record %s-%d (model %s)", prefix, i, expectedVersion)
          .isNotNull();
    }
    return List.of(out);
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

  private static String header(ConsumerRecord<?, ?> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static double rejected(Map<String, Double> outcomes) {
    return outcomes.entrySet().stream()
        .filter(e -> e.getKey().startsWith("REJECTED_"))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  /**
   * Polls the application's Prometheus endpoint until the {@code strata_heads_records_total}
   * counters of {@code head} (by outcome) satisfy {@code done}, or {@code timeout} passes.
   */
  private static Map<String, Double> awaitCounters(
      int port, String head, Predicate<Map<String, Double>> done, Duration timeout)
      throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Pattern line = Pattern.compile("strata_heads_records_total\\{([^}]*)\\}\\s+([0-9.eE+-]+)");
    Pattern outcome = Pattern.compile("outcome=\"([A-Z_]+)\"");
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Map<String, Double> found = new TreeMap<>();
      Matcher m = line.matcher(body);
      while (m.find()) {
        String labels = m.group(1);
        Matcher o = outcome.matcher(labels);
        if (labels.contains("head=\"" + head + "\"") && o.find()) {
          found.put(o.group(1), Double.parseDouble(m.group(2)));
        }
      }
      if (done.test(found) || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(200);
    }
  }

  /** Runs the CLI in this JVM; returns what it printed (out and err). */
  private static String cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cmd = StrataCommand.newCommandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(out, true));
    int code = cmd.execute(args);
    return "exit " + code + "\n" + out;
  }

  /** One synthetic sentence with one product name. */
  record Labeled(String id, List<String> tokens, List<String> tags, String entity) {
    String text() {
      return String.join(" ", tokens);
    }

    /** Tokens + IOB2 tags, or (with {@code spans}) the product's character span. */
    FeedbackRecord feedback(String head, boolean spans) {
      FeedbackRecord.Builder b =
          FeedbackRecord.newBuilder()
              .setId(id)
              .setText(text())
              .setHead(head)
              .setSource("strata-it")
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L));
      if (spans) {
        int start = text().indexOf(entity);
        return b.setSpans(
                List.of(
                    dev.strata.schemas.avro.LabeledSpan.newBuilder()
                        .setStart(start)
                        .setEnd(start + entity.length())
                        .setLabel(TYPE)
                        .build()))
            .build();
      }
      return b.setTokens(tokens).setTags(tags).build();
    }
  }

  /**
   * Deterministic sentences about invented products ("Zentrix Q40"): a made-up brand and a model
   * code in a handful of contexts. Training and test names never repeat.
   */
  static final class Products {
    private static final String[] FRONT = {
      "Zen", "Vol", "Kro", "Mira", "Tak", "Lum", "Nex", "Quor", "Bri", "Sol", "Vex", "Orba"
    };
    private static final String[] BACK = {"trix", "ora", "ex", "ion", "ano", "ivo", "ust", "ella"};
    private static final String[] TEMPLATES = {
      "I ordered the %s from the online store last week .",
      "The new %s ships with a larger battery .",
      "Reviewers praised the %s for its camera .",
      "She returned her %s after two days .",
      "Our team tested the %s against its rivals .",
      "He says the %s is worth the price .",
      "Stock of the %s sold out within hours .",
      "The %s costs less than its predecessor ."
    };

    static List<Labeled> feedback(int n) {
      return generate("fb", n, 11, 0);
    }

    /** Writes {@code sentences} as a two-column CoNLL file (token TAB tag). */
    static Path writeConll(Path file, List<Labeled> sentences) throws java.io.IOException {
      StringBuilder sb = new StringBuilder();
      for (Labeled s : sentences) {
        for (int i = 0; i < s.tokens().size(); i++) {
          sb.append(s.tokens().get(i)).append('\t').append(s.tags().get(i)).append('\n');
        }
        sb.append('\n');
      }
      return Files.writeString(file, sb.toString());
    }

    static List<Labeled> more(int n) {
      return generate("fb2", n, 23, 0);
    }

    static List<Labeled> unseen(int n) {
      return generate("test", n, 97, 1);
    }

    /** Brands of the training set use even back-syllable slots, test brands odd ones. */
    private static List<Labeled> generate(String prefix, int n, long seed, int parity) {
      Random random = new Random(seed);
      List<Labeled> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String brand =
            FRONT[random.nextInt(FRONT.length)]
                + BACK[2 * random.nextInt(BACK.length / 2) + parity];
        String model = (char) ('A' + random.nextInt(26)) + Integer.toString(2 + random.nextInt(98));
        String product = brand + " " + model;
        String sentence = String.format(TEMPLATES[(i + parity) % TEMPLATES.length], product);
        List<String> tokens = List.of(sentence.split(" "));
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < tokens.size(); t++) {
          if (tokens.get(t).equals(brand)) {
            tags.add("B-" + TYPE);
          } else if (t > 0 && tokens.get(t - 1).equals(brand) && tokens.get(t).equals(model)) {
            tags.add("I-" + TYPE);
          } else {
            tags.add("O");
          }
        }
        out.add(new Labeled(prefix + "-" + i, tokens, tags, product));
      }
      return out;
    }
  }
}
