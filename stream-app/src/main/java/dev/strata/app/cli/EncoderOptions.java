package dev.strata.app.cli;

import picocli.CommandLine.Option;

/** Options shared by the commands that run an encoder: the backbone, and where it runs. */
final class EncoderOptions extends DeviceOptions {
  @Option(
      names = "--backbone",
      defaultValue = "bert-base-cased",
      description =
          "Backbone name (see 'strata backbones') or hf:FOLDER. Default: ${DEFAULT-VALUE}.")
  String backbone;
}
