package dev.strata.app.cli;

import dev.strata.app.stream.StrataConfig;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the application's properties file, as for {@code strata run}. */
final class ConfigOption {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigOption.class);

  @Option(
      names = "--config",
      required = true,
      description = "Properties file of the application (as for 'strata run').")
  Path file;

  /** Parses the file plus {@code STRATA_*} overrides. */
  StrataConfig load() {
    try {
      StrataConfig config = StrataConfig.load(file, System.getenv());
      if (!config.unknownKeys().isEmpty()) {
        LOG.warn(
            "{}: no component knows {} (ignored); check the spelling against the README (Kafka"
                + " settings need the streams. prefix)",
            file,
            String.join(", ", config.unknownKeys()));
      }
      return config;
    } catch (ConfigException e) {
      throw new UserFacingException("invalid configuration: " + e.getMessage(), e);
    }
  }
}
