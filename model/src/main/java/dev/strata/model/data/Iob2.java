package dev.strata.model.data;

import java.util.Objects;

/**
 * The IOB2 tag form: {@code O}, {@code B-TYPE} (first word of an entity) or {@code I-TYPE} (a
 * following word), where {@code TYPE} is a non-empty name without whitespace.
 */
public final class Iob2 {
  /** The tag of a word outside every entity. */
  public static final String OUTSIDE = "O";

  /** The allowed form, for error messages. */
  public static final String FORM = "'O', 'B-TYPE' or 'I-TYPE' (IOB2, TYPE non-empty, no spaces)";

  private Iob2() {}

  /** Whether {@code tag} has the IOB2 form. */
  public static boolean isValid(String tag) {
    Objects.requireNonNull(tag, "tag");
    if (tag.equals(OUTSIDE)) {
      return true;
    }
    if (tag.length() < 3
        || (tag.charAt(0) != 'B' && tag.charAt(0) != 'I')
        || tag.charAt(1) != '-') {
      return false;
    }
    for (int i = 2; i < tag.length(); i++) {
      if (Character.isWhitespace(tag.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the form.
   *
   * @throws IllegalArgumentException naming the tag and the allowed form
   */
  public static String require(String tag) {
    if (!isValid(tag)) {
      throw new IllegalArgumentException("bad tag '" + tag + "': expected " + FORM);
    }
    return tag;
  }

  /** The entity type of a valid {@code B-}/{@code I-} tag, or {@code null} for {@code O}. */
  public static String type(String tag) {
    require(tag);
    return tag.equals(OUTSIDE) ? null : tag.substring(2);
  }

  /** Whether a valid tag begins with {@code B-}. */
  public static boolean isBegin(String tag) {
    return require(tag).charAt(0) == 'B' && !tag.equals(OUTSIDE);
  }
}
