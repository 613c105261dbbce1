package dev.strata.model.feedback;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.strata.model.data.LabelSet;
import dev.strata.model.head.ClassifierBlock;
import dev.strata.model.head.FusionModel;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Starts a refinement candidate from the serving head's weights. */
final class WarmStart {
  private WarmStart() {}

  /**
   * Copies the serving head's weights into {@code candidate}: the fusion head as it is, the token
   * classifier row by row by label name (rows of new labels keep their fresh initialisation). The
   * candidate has no sequence classifier (see {@link HeadRefiner}).
   */
  static void copy(
      FusionModel candidate, LabelSet labels, FusionModel serving, LabelSet servingLabels) {
    ClassifierBlock newToken = candidate.tokenClassifier().orElseThrow();
    ClassifierBlock oldToken = serving.tokenClassifier().orElseThrow();
    Set<Parameter> tokenParams = Collections.newSetFromMap(new IdentityHashMap<>());
    newToken.getParameters().values().forEach(tokenParams::add);
    Map<String, Parameter> old = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : serving.getParameters()) {
      old.put(p.getKey(), p.getValue());
    }
    for (Pair<String, Parameter> p : candidate.getParameters()) {
      if (tokenParams.contains(p.getValue())) {
        continue;
      }
      Parameter from = old.get(p.getKey());
      NDArray to = p.getValue().getArray();
      if (from == null || !from.getArray().getShape().equals(to.getShape())) {
        throw new IllegalStateException(
            "serving head parameter "
                + p.getKey()
                + " does not fit the candidate; retrain the"
                + " head from scratch");
      }
      to.set(from.getArray().toFloatArray());
    }
    int[] map = new int[servingLabels.size()];
    for (int i = 0; i < map.length; i++) {
      map[i] = labels.encode(servingLabels.decode(i));
    }
    for (Pair<String, Parameter> p : newToken.getParameters()) {
      NDArray to = p.getValue().getArray();
      NDArray fromArray = oldToken.getParameters().get(p.getKey()).getArray();
      float[] src = fromArray.toFloatArray();
      float[] dst = to.toFloatArray();
      int width = (int) (to.getShape().size() / labels.size());
      for (int i = 0; i < map.length; i++) {
        System.arraycopy(src, i * width, dst, map[i] * width, width);
      }
      to.set(dst);
    }
  }
}
