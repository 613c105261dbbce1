package dev.strata.model.eval;

import dev.strata.model.data.Iob2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Conversions between IOB2 tags and entity spans.
 *
 * <p>Tags are read with the CoNLL {@code conlleval} rules: an entity starts at every {@code B-X},
 * and also at an {@code I-X} that follows {@code O}, the sentence start, or a tag of another type;
 * it continues over {@code I-X} of the same type and ends before {@code O}, {@code B-} or a type
 * change. So {@code B-PER B-PER} is two entities and {@code O I-LOC I-LOC} one.
 */
public final class Spans {

  private Spans() {}

  /**
   * The entities of one sentence, in order.
   *
   * @throws IllegalArgumentException for a tag that is not IOB2, naming it and its position
   */
  public static List<EntitySpan> fromTags(List<String> tags) {
    Objects.requireNonNull(tags, "tags");
    List<EntitySpan> out = new ArrayList<>();
    int start = -1;
    String type = null;
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      if (tag == null || !Iob2.isValid(tag)) {
        throw new IllegalArgumentException(
            "bad tag '" + tag + "' at word " + i + ": expected " + Iob2.FORM);
      }
      String t = Iob2.type(tag);
      boolean continues = t != null && !Iob2.isBegin(tag) && t.equals(type);
      if (!continues) {
        if (type != null) {
          out.add(new EntitySpan(start, i, type));
        }
        start = t == null ? -1 : i;
        type = t;
      }
    }
    if (type != null) {
      out.add(new EntitySpan(start, tags.size(), type));
    }
    return out;
  }

  /**
   * IOB2 tags for {@code length} words with the given entities ({@code B-} on every first word).
   *
   * @throws IllegalArgumentException when spans overlap or run past {@code length}
   */
  public static List<String> toTags(List<EntitySpan> spans, int length) {
    Objects.requireNonNull(spans, "spans");
    String[] tags = new String[length];
    Arrays.fill(tags, Iob2.OUTSIDE);
    for (EntitySpan s : spans) {
      if (s.end() > length) {
        throw new IllegalArgumentException(
            "span " + s + " runs past the sentence of " + length + " words");
      }
      for (int i = s.start(); i < s.end(); i++) {
        if (!tags[i].equals(Iob2.OUTSIDE)) {
          throw new IllegalArgumentException("span " + s + " overlaps another span at word " + i);
        }
        tags[i] = (i == s.start() ? "B-" : "I-") + s.type();
      }
    }
    return List.of(tags);
  }

  /**
   * Maps word spans to character spans.
   *
   * @param wordStarts start character of every word
   * @param wordEnds end character (exclusive) of every word
   */
  public static List<CharSpan> toChars(List<EntitySpan> spans, int[] wordStarts, int[] wordEnds) {
    Objects.requireNonNull(spans, "spans");
    Objects.requireNonNull(wordStarts, "wordStarts");
    Objects.requireNonNull(wordEnds, "wordEnds");
    if (wordStarts.length != wordEnds.length) {
      throw new IllegalArgumentException(
          "wordStarts and wordEnds differ in length: "
              + wordStarts.length
              + " vs "
              + wordEnds.length);
    }
    List<CharSpan> out = new ArrayList<>(spans.size());
    for (EntitySpan s : spans) {
      if (s.end() > wordStarts.length) {
        throw new IllegalArgumentException(
            "span " + s + " runs past the " + wordStarts.length + " word offsets given");
      }
      out.add(new CharSpan(wordStarts[s.start()], wordEnds[s.end() - 1], s.type()));
    }
    return out;
  }

  /**
   * Character offsets of words joined by single spaces (the text {@code String.join(" ", words)},
   * which is also what {@code SubwordTokenizer.encodeWords} offsets refer to).
   *
   * @return {@code [starts, ends]}
   */
  public static int[][] joinedOffsets(List<String> words) {
    Objects.requireNonNull(words, "words");
    int[] starts = new int[words.size()];
    int[] ends = new int[words.size()];
    int pos = 0;
    for (int i = 0; i < words.size(); i++) {
      starts[i] = pos;
      pos += words.get(i).length();
      ends[i] = pos;
      pos++;
    }
    return new int[][] {starts, ends};
  }
}
