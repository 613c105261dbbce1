package dev.strata.app.feedback;

import static java.util.Objects.requireNonNull;

/**
 * Keys of the feedback store: {@code head + '\0' + id}, so one head's examples are a key prefix
 * ({@link #prefix}) and the store can be scanned per head.
 */
public final class FeedbackKeys {
  static final char SEPARATOR = '\0';

  private FeedbackKeys() {}

  /** The store key of example {@code id} of {@code head}. */
  public static String key(String head, String id) {
    return prefix(head) + requireNonNull(id, "id");
  }

  /** The common prefix of every key of {@code head}. */
  public static String prefix(String head) {
    return requireNonNull(head, "head") + SEPARATOR;
  }

  /** The head part of a store key. */
  public static String head(String key) {
    int i = key.indexOf(SEPARATOR);
    if (i < 0) {
      throw new IllegalArgumentException("not a feedback store key: " + key);
    }
    return key.substring(0, i);
  }
}
