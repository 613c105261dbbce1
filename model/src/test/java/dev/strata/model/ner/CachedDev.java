package dev.strata.model.ner;

import dev.strata.model.backbone.CheckpointLoader;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.data.ConllReader;
import dev.strata.model.data.Sentence;
import dev.strata.model.data.SharedData;
import dev.strata.model.head.HeadConfig;
import dev.strata.model.head.HeadType;
import dev.strata.model.train.TrainingConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/**
 * The CoNLL-03 dev sentences and their encoder states from the default cache directory (encoded on
 * first use, shared with the few-shot sweep), for the benches and probes of this package.
 */
final class CachedDev {
  private CachedDev() {}

  /** The dev sentences; skips the calling test when the shared data folder is absent. */
  static List<Sentence> sentences() throws IOException {
    return ConllReader.create().read(SharedData.require("conll2003").resolve("dev.txt"));
  }

  /** Their states under {@code backbone}; the caller closes {@code cache()}. */
  static TaskTraining.CachedData states(
      LoadedBackbone backbone, List<Sentence> dev, PrintStream log) {
    TaskTraining.Options o =
        new TaskTraining.Options(
            HeadConfig.of(HeadType.LAST),
            TrainingConfig.builder().build(),
            CheckpointLoader.defaultCacheDir(),
            log);
    return TaskTraining.CachedData.of(backbone, "dev", dev, o);
  }
}
