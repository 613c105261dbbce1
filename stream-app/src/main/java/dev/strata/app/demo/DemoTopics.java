package dev.strata.app.demo;

import static java.util.Objects.requireNonNull;

import dev.strata.app.stream.AppTopics;
import dev.strata.app.stream.StrataConfig;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * Creates the demo's input, output, dead-letter and feedback topics when they do not exist yet,
 * with one partition each on the single local broker.
 */
final class DemoTopics {
  private DemoTopics() {}

  static void ensure(StrataConfig config) {
    requireNonNull(config, "config");
    try (Admin admin = AppTopics.admin(config, "strata-demo-admin")) {
      AppTopics.createMissing(admin, AppTopics.of(config), Optional.of(1), Optional.of((short) 1));
    } catch (AppTopics.TopicsException e) {
      throw new DemoException(e.getMessage(), e);
    }
  }
}
