package dev.strata.it;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Where the real broker and registry are, from system properties that {@code
 * deploy/bin/run-tests.sh} sets from {@code target/infra/run/env}:
 *
 * <ul>
 *   <li>{@value #BOOTSTRAP} — Kafka bootstrap servers
 *   <li>{@value #REGISTRY} — Confluent-compatible registry URL (Apicurio's {@code
 *       /apis/ccompat/v7})
 *   <li>{@value #APICURIO} — optional, Apicurio's native API; derived from the ccompat URL if
 *       absent
 *   <li>{@value #REQUIRED} — {@code true} under the test command: a missing setting fails the tests
 *       instead of skipping them
 * </ul>
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl Confluent-compatible registry base URL
 * @param apicurioRegistryUrl Apicurio's native API base URL
 */
public record RealInfra(
    String bootstrapServers, String schemaRegistryUrl, String apicurioRegistryUrl) {
  public static final String BOOTSTRAP = "strata.it.bootstrap.servers";
  public static final String REGISTRY = "strata.it.schema.registry.url";
  public static final String APICURIO = "strata.it.apicurio.registry.url";
  public static final String REQUIRED = "strata.it.required";

  private static final String HOW =
      "run ./strata test (deploy/bin/run-tests.sh starts Kafka and the registry and passes them), or"
          + " start them with ./strata infra start and pass -D"
          + BOOTSTRAP
          + "=... -D"
          + REGISTRY
          + "=... from target/infra/run/env";

  /** The settings, or an {@link IllegalStateException} naming the missing property and the fix. */
  public static RealInfra get() {
    String bootstrap = property(BOOTSTRAP);
    String registry = property(REGISTRY);
    if (bootstrap == null || registry == null) {
      throw new IllegalStateException(
          "no real Kafka/registry given: system property "
              + (bootstrap == null ? BOOTSTRAP : REGISTRY)
              + " is not set; "
              + HOW);
    }
    String apicurio = property(APICURIO);
    if (apicurio == null) {
      URI u = URI.create(registry);
      apicurio = u.getScheme() + "://" + u.getAuthority() + "/apis/registry/v3";
    }
    return new RealInfra(bootstrap, registry, apicurio);
  }

  private static String property(String name) {
    String v = System.getProperty(name);
    return v == null || v.isBlank() || v.startsWith("${") ? null : v.trim();
  }

  /** Marks a test class that talks to the real broker and registry; see {@link Condition}. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @ExtendWith(Condition.class)
  public @interface Required {}

  /**
   * Runs the tests when the settings are there. Without them: fails under the test command ({@value
   * #REQUIRED}{@code =true}), else skips with the reason printed once (plain {@code mvn verify} on
   * a machine without the servers).
   */
  public static final class Condition implements ExecutionCondition {
    private static final AtomicBoolean TOLD = new AtomicBoolean();

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      try {
        RealInfra infra = get();
        return ConditionEvaluationResult.enabled("real infra at " + infra.bootstrapServers());
      } catch (IllegalStateException e) {
        if (Boolean.getBoolean(REQUIRED)) {
          throw e;
        }
        String reason = "skipping end-to-end tests: " + e.getMessage();
        if (TOLD.compareAndSet(false, true)) {
          System.err.println("[strata-it] " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
      }
    }
  }
}
