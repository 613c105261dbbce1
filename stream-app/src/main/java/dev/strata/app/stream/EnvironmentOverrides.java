package dev.strata.app.stream;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code STRATA_*} environment variables as configuration overrides: {@code STRATA_} + the key
 * upper-cased, {@code .} and {@code -} as {@code _}.
 */
final class EnvironmentOverrides {
  static final String PREFIX = "STRATA_";

  private EnvironmentOverrides() {}

  /** The environment variable that overrides {@code key}. */
  static String envName(String key) {
    return PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * The overrides {@code env} holds: one for each of {@code keys} whose variable is set, and one
   * for each other {@code STRATA_<PREFIX>_*} variable under {@code passThroughPrefix}.
   *
   * @param keys the keys a variable may name exactly (defined keys and the file's keys)
   * @param passThroughPrefix a prefix of dotted lower-case keys (Kafka's own), e.g. {@code
   *     streams.}: {@code STRATA_STREAMS_NUM_STREAM_THREADS} can only mean {@code
   *     streams.num.stream.threads}
   */
  static Map<String, String> of(
      Set<String> keys, String passThroughPrefix, Map<String, String> env) {
    Map<String, String> out = new HashMap<>();
    for (String key : keys) {
      String value = env.get(envName(key));
      if (value != null) {
        out.put(key, value);
      }
    }
    Set<String> matched = new HashSet<>();
    out.keySet().forEach(k -> matched.add(envName(k)));
    String prefixEnv = envName(passThroughPrefix);
    env.forEach(
        (name, value) -> {
          if (name.startsWith(prefixEnv)
              && name.length() > prefixEnv.length()
              && !matched.contains(name)) {
            out.put(
                passThroughPrefix
                    + name.substring(prefixEnv.length()).toLowerCase(Locale.ROOT).replace('_', '.'),
                value);
          }
        });
    return out;
  }
}
