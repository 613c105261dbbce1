package dev.strata.it;

import dev.strata.schemas.avro.FeedbackRecord;
import dev.strata.schemas.avro.LabeledSpan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic sentences about invented products ("Zentrix Q40"): a made-up brand and a model code
 * in a handful of contexts, tagged with the new entity type {@value #TYPE}. Training and test names
 * never repeat.
 */
final class Products {
  static final String TYPE = "PROD";

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
  static Path writeConll(Path file, List<Labeled> sentences) throws IOException {
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
          FRONT[random.nextInt(FRONT.length)] + BACK[2 * random.nextInt(BACK.length / 2) + parity];
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
                    LabeledSpan.newBuilder()
                        .setStart(start)
                        .setEnd(start + entity.length())
                        .setLabel(TYPE)
                        .build()))
            .build();
      }
      return b.setTokens(tokens).setTags(tags).build();
    }
  }
}
