package dev.strata.model.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Shapes, layer weights and padding behaviour of every head. */
class HeadBehaviourTest {
  static final BackboneShape B = HeadParameterCountTest.SMALL;

  static FusionModel model(NDManager m, HeadType type) {
    FusionModel model =
        FusionModel.builder()
            .setHeadConfig(HeadConfig.builder().setType(type).optDeeperLayers(1).build())
            .setBackbone(B)
            .optTokenClasses(3)
            .optSequenceClasses(2)
            .build();
    model.initialize(m, 3);
    HeadFixtures.setWeights(model, 17);
    return model;
  }

  @ParameterizedTest
  @EnumSource(HeadType.class)
  void shapesAndLayerWeights(HeadType type) {
    try (NDManager m = NDManager.newBaseManager()) {
      FusionModel model = model(m, type);
      NDArray states = HeadFixtures.array(m, HeadFixtures.states(new Random(1), 2, 5, 4, 8));
      FusionOutput out =
          model.run(new ParameterStore(m, false), states, HeadFixtures.mask(m, 5, 5, 3), false);
      assertThat(out.features().getShape()).isEqualTo(new Shape(2, 5, 8));
      assertThat(out.tokenLogits().getShape()).isEqualTo(new Shape(2, 5, 3));
      assertThat(out.sequenceLogits().getShape()).isEqualTo(new Shape(2, 2));
      if (type.hasLayerWeights()) {
        assertThat(out.layerWeights().getShape()).isEqualTo(new Shape(2, 5, 4));
        for (float sum : out.layerWeights().sum(new int[] {-1}).toFloatArray()) {
          assertThat(sum).isCloseTo(1f, within(1e-5f));
        }
      } else {
        assertThat(out.layerWeights()).isNull();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(HeadType.class)
  void paddingRowsDoNotChangeOtherRows(HeadType type) {
    try (NDManager m = NDManager.newBaseManager()) {
      FusionModel model = model(m, type);
      ParameterStore ps = new ParameterStore(m, false);
      float[][][][] batch = HeadFixtures.states(new Random(2), 2, 6, 4, 8);
      float[][][][] alone = {java.util.Arrays.copyOf(batch[1], 3)};
      // row 1 has 3 tokens; its padding positions hold noise, which must not leak into it
      float[] together =
          model
              .run(ps, HeadFixtures.array(m, batch), HeadFixtures.mask(m, 6, 6, 3), false)
              .tokenLogits()
              .get("1, 0:3, :")
              .toFloatArray();
      float[] single =
          model
              .run(ps, HeadFixtures.array(m, alone), HeadFixtures.mask(m, 3, 3), false)
              .tokenLogits()
              .get("0, :, :")
              .toFloatArray();
      assertThat(together).containsExactly(single, within(1e-4f));
    }
  }

  @ParameterizedTest
  @EnumSource(HeadType.class)
  void wrongStateCountIsRefusedWithTheExpectedShape(HeadType type) {
    try (NDManager m = NDManager.newBaseManager()) {
      FusionModel model = model(m, type);
      NDArray states = HeadFixtures.array(m, HeadFixtures.states(new Random(1), 1, 2, 3, 8));
      assertThatThrownBy(
              () ->
                  model.run(
                      new ParameterStore(m, false), states, HeadFixtures.mask(m, 2, 2), false))
          .hasMessageContaining("[N, T, 4, 8]");
    }
  }
}
