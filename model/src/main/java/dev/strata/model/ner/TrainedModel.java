package dev.strata.model.ner;

import ai.djl.ndarray.NDManager;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.FusionModel;
import dev.strata.model.head.HeadModelFile;
import dev.strata.model.head.HeadModelHeader;
import dev.strata.model.head.SaveInfo;
import dev.strata.model.train.TrainingConfig;
import dev.strata.model.train.TrainingResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a training run: the model (weights in its own manager), its labels and what
 * happened. Save it with {@link #save}, or use it directly with {@link #tagger}.
 */
public final class TrainedModel implements AutoCloseable {
  private final LoadedBackbone backbone;
  private final NDManager manager;
  private final FusionModel model;
  private final List<String> tokenLabels;
  private final List<String> sequenceLabels;
  private final TrainingConfig config;
  private final TrainingResult result;
  private final Map<String, String> metadata;

  TrainedModel(
      LoadedBackbone backbone,
      NDManager manager,
      FusionModel model,
      List<String> tokenLabels,
      List<String> sequenceLabels,
      TrainingConfig config,
      TrainingResult result,
      Map<String, String> metadata) {
    this.backbone = Objects.requireNonNull(backbone, "backbone");
    this.manager = Objects.requireNonNull(manager, "manager");
    this.model = Objects.requireNonNull(model, "model");
    this.tokenLabels = List.copyOf(tokenLabels);
    this.sequenceLabels = List.copyOf(sequenceLabels);
    this.config = Objects.requireNonNull(config, "config");
    this.result = Objects.requireNonNull(result, "result");
    this.metadata = Map.copyOf(metadata);
  }

  public FusionModel model() {
    return model;
  }

  public TrainingResult result() {
    return result;
  }

  public List<String> tokenLabels() {
    return tokenLabels;
  }

  public List<String> sequenceLabels() {
    return sequenceLabels;
  }

  /** Writes the model file (format version, backbone id and checksum, labels, config, weights). */
  public HeadModelHeader save(Path file) {
    SaveInfo info =
        new SaveInfo(
            EntityTagger.ref(backbone), tokenLabels, sequenceLabels, config.asMap(), metadata);
    return HeadModelFile.write(file, model, info);
  }

  /**
   * A tagger over this model; it shares the weights, so close this {@code TrainedModel} only after
   * the tagger is no longer used (closing the tagger does not free them).
   */
  public EntityTagger tagger() {
    HeadModelHeader header =
        HeadModelFile.header(
            model,
            new SaveInfo(
                EntityTagger.ref(backbone), tokenLabels, sequenceLabels, config.asMap(), metadata));
    return new EntityTagger(backbone, manager.newSubManager(), model, header);
  }

  @Override
  public void close() {
    manager.close();
  }
}
