package dev.strata.app.cli;

import dev.strata.app.stream.StrataConfig;
import java.nio.file.Path;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/** {@code --config FILE}: the application's properties file, as for {@code strata run}. */
final class ConfigOption {
  @Option(
      names = "--config",
      required = true,
      description = "Properties file of the application (as for 'strata run').")
  Path file;

  /** Parses the file plus {@code STRATA_*} overrides. */
  StrataConfig load() {
    try {
      return StrataConfig.load(file, System.getenv());
    } catch (ConfigException e) {
      throw new UserFacingException("invalid configuration: " + e.getMessage(), e);
    }
  }
}
