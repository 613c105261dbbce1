package dev.strata.app.cli;

import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.ner.EntityTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options of the commands that use a trained model; the backbone comes from the model file. */
final class ModelOptions extends DeviceOptions {
  @Option(names = "--model", required = true, description = "Model file written by 'strata train'.")
  Path model;

  /** The model's backbone and the tagger, opened together. */
  record Opened(LoadedBackbone backbone, EntityTagger tagger) implements AutoCloseable {
    @Override
    public void close() {
      tagger.close();
      backbone.close();
    }
  }

  void requireModelFile() {
    if (!Files.isRegularFile(model)) {
      throw new UserFacingException(
          "model file " + model + " does not exist; train one with 'strata train'");
    }
  }

  Opened open() {
    requireModelFile();
    applyThreads();
    HeadModelHeader header = HeadModelFile.readHeader(model);
    LoadedBackbone bb = LoadedBackbone.open(header.backbone().id(), device);
    try {
      return new Opened(bb, EntityTagger.load(model, bb));
    } catch (RuntimeException e) {
      bb.close();
      throw e;
    }
  }
}
