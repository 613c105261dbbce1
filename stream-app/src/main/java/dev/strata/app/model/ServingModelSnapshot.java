package dev.strata.app.model;

import static java.util.Objects.requireNonNull;

import dev.strata.app.feedback.HeadRecordException;
import dev.strata.app.feedback.HeadRecords;
import dev.strata.app.feedback.HeadSwapper;
import dev.strata.app.feedback.ServingSnapshot;
import dev.strata.app.feedback.SwapOutcome;
import dev.strata.app.stream.HeadedAnnotation;
import dev.strata.app.stream.ModelDescriptor;
import dev.strata.model.backbone.LoadedBackbone;
import dev.strata.model.head.HeadModelException;
import dev.strata.model.ner.Annotation;
import dev.strata.model.ner.Entity;
import dev.strata.model.ner.EntityTagger;
import dev.strata.model.serving.HeadAnnotation;
import dev.strata.model.serving.HeadArtifact;
import dev.strata.model.serving.HeadEntity;
import dev.strata.model.serving.ServedText;
import dev.strata.model.serving.ServingModel;
import dev.strata.schemas.avro.HeadRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@link ServingSnapshot} over the model's {@link ServingModel}: every head in one encoder pass per
 * batch; each entity carries the head that found it, the classification comes from the first
 * sequence head (by name). {@link #withHead} parses and loads a published head into a new snapshot;
 * {@link #retire} frees the heads its successor replaced.
 */
public final class ServingModelSnapshot implements ServingSnapshot {
  private final ServingModel model;
  private final String backboneId;
  private final ModelDescriptor descriptor;
  private final String version;
  private volatile ServingModelSnapshot successor;

  /** Guards the retirement chain of all snapshots (retiring is rare and quick). */
  private static final Object RETIREMENT = new Object();

  private ServingModelSnapshot predecessor; // guarded by RETIREMENT; null once it retired
  private boolean retireRequested; // guarded by RETIREMENT
  private boolean retired; // guarded by RETIREMENT

  public ServingModelSnapshot(ServingModel model) {
    this.model = requireNonNull(model, "model");
    this.backboneId = EntityTagger.ref(model.backbone()).id();
    Map<String, String> heads = new TreeMap<>();
    model.heads().forEach((name, head) -> heads.put(name, head.version()));
    String first = heads.isEmpty() ? "" : heads.keySet().iterator().next();
    this.descriptor = new ModelDescriptor(backboneId, heads, first, first);
    StringBuilder v = new StringBuilder(backboneId).append('/');
    heads.forEach(
        (n, ver) ->
            v.append(v.charAt(v.length() - 1) == '/' ? "" : ",").append(n).append('@').append(ver));
    this.version = v.toString();
  }

  public ServingModel model() {
    return model;
  }

  @Override
  public String backbone() {
    return backboneId;
  }

  @Override
  public ServingSnapshot withHead(HeadRecord head) {
    HeadArtifact artifact;
    try {
      artifact = HeadArtifact.parse(HeadRecords.bytes(head));
    } catch (HeadModelException e) {
      throw new HeadRecordException(SwapOutcome.REJECTED_CORRUPT, e.getMessage(), e);
    }
    if (!artifact.backbone().id().equals(backboneId)) {
      throw new HeadRecordException(
          SwapOutcome.REJECTED_INCOMPATIBLE,
          "head "
              + head.getName()
              + " v"
              + head.getVersion()
              + " was trained on "
              + artifact.backbone()
              + "; this instance serves "
              + backboneId);
    }
    ServingModel next;
    try {
      next = model.withHead(head.getName(), HeadSwapper.versionString(head), artifact);
    } catch (HeadModelException e) {
      throw new HeadRecordException(SwapOutcome.REJECTED_INCOMPATIBLE, e.getMessage(), e);
    }
    ServingModelSnapshot s = new ServingModelSnapshot(next);
    synchronized (RETIREMENT) {
      s.predecessor = retired ? null : this;
    }
    successor = s;
    return s;
  }

  @Override
  public void retire() {
    synchronized (RETIREMENT) {
      retireRequested = true;
      retireInOrder();
    }
  }

  /** Retires this snapshot if asked to and its predecessor retired, then its successor likewise. */
  private void retireInOrder() {
    ServingModelSnapshot s = this;
    while (s != null && s.retireRequested && !s.retired) {
      if (s.predecessor != null && !s.predecessor.retired) {
        return; // an older snapshot is still in use; it retires this one when it retires
      }
      s.retired = true;
      s.predecessor = null;
      ServingModelSnapshot next = s.successor;
      if (next != null) {
        s.model.retireReplaced(next.model);
      } else {
        s.model.close();
      }
      s = next;
    }
  }

  @Override
  public List<HeadedAnnotation> annotateWithHeads(List<String> texts) {
    List<ServedText> served = model.annotate(texts);
    List<HeadedAnnotation> out = new ArrayList<>(served.size());
    for (ServedText t : served) {
      List<Entity> entities = new ArrayList<>();
      List<String> heads = new ArrayList<>();
      for (HeadEntity e : t.entities()) {
        entities.add(e.entity());
        heads.add(e.head());
      }
      String classHead = null;
      String classLabel = null;
      Map<String, Float> probabilities = Map.of();
      int windows = 1;
      int subTokens = 0;
      for (HeadAnnotation a : t.heads().values()) {
        windows = Math.max(windows, a.annotation().windows());
        subTokens = Math.max(subTokens, a.annotation().subTokens());
        if (classHead == null && a.annotation().classLabel() != null) {
          classHead = a.head();
          classLabel = a.annotation().classLabel();
          probabilities = new LinkedHashMap<>(a.annotation().classProbabilities());
        }
      }
      out.add(
          new HeadedAnnotation(
              new Annotation(entities, classLabel, probabilities, windows, subTokens),
              heads,
              classHead));
    }
    return out;
  }

  @Override
  public List<Annotation> annotate(List<String> texts) {
    return annotateWithHeads(texts).stream().map(HeadedAnnotation::annotation).toList();
  }

  @Override
  public String modelVersion() {
    return version;
  }

  @Override
  public ModelDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public int tokenCount(String text) {
    return model.backbone().tokenizer().encode(text).length();
  }

  /** The backbone (owned by the caller). */
  public LoadedBackbone backboneModel() {
    return model.backbone();
  }
}
