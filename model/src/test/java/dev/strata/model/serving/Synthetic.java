package dev.strata.model.serving;

import dev.strata.model.data.Sentence;
import dev.strata.model.feedback.FeedbackExample;
import dev.strata.model.feedback.FeedbackExamples;
import dev.strata.model.feedback.LabeledSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Templated sentences for serving and refinement tests: PER/LOC/ORG, and a new type GADGET. */
public final class Synthetic {
  private static final String[] PEOPLE = {
    "Alice", "Bob", "Carol", "David", "Maria", "John", "Peter", "Anna", "Laura", "Thomas"
  };
  private static final String[] PLACES = {
    "Paris", "Berlin", "London", "Madrid", "Rome", "Vienna", "Tokyo", "Boston", "Chicago", "Oslo"
  };
  private static final String[] ORGS = {"Google", "Siemens", "Microsoft", "Nestle", "Toyota"};
  private static final String[] GADGETS = {
    "Zorblex",
    "Quantafon",
    "Veltrix",
    "Mirobook",
    "Plexatab",
    "Nuvio",
    "Draxon",
    "Kelvipad",
    "Orbicam",
    "Tessaron",
    "Glimwatch",
    "Fyrelink"
  };
  private static final String[][] GADGET_TEMPLATES = {
    {"I bought a new ", " yesterday ."},
    {"The ", " battery lasts two days ."},
    {"My ", " broke again after the update ."},
    {"Is the ", " worth the money ?"},
    {"We returned the ", " because the screen cracked ."},
    {"Reviews of the ", " praise its camera ."},
  };

  private Synthetic() {}

  /** Tagged PER/LOC/ORG sentences ("Alice visited Paris ."). */
  public static List<Sentence> peopleAndPlaces(int n, long seed) {
    Random r = new Random(seed);
    List<Sentence> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String p = pick(PEOPLE, r);
      String l = pick(PLACES, r);
      if (r.nextBoolean()) {
        out.add(new Sentence(List.of(p, "visited", l, "."), List.of("B-PER", "O", "B-LOC", "O")));
      } else {
        out.add(
            new Sentence(
                List.of(p, "works", "at", pick(ORGS, r), "in", l, "."),
                List.of("B-PER", "O", "O", "B-ORG", "O", "B-LOC", "O")));
      }
    }
    return out;
  }

  /** Span feedback marking invented gadget names as GADGET, ids {@code prefix0..}. */
  public static List<FeedbackExample> gadgetFeedback(String head, int n, long seed) {
    Random r = new Random(seed);
    List<FeedbackExample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String[] t = GADGET_TEMPLATES[r.nextInt(GADGET_TEMPLATES.length)];
      String g = pick(GADGETS, r);
      String text = t[0] + g + t[1];
      out.add(
          FeedbackExamples.fromSpans(
              "g" + i,
              head,
              text,
              List.of(new LabeledSpan(t[0].length(), t[0].length() + g.length(), "GADGET"))));
    }
    return out;
  }

  private static String pick(String[] a, Random r) {
    return a[r.nextInt(a.length)];
  }
}
