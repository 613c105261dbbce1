package dev.strata.model.fewshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir Path dir;

  private static List<HistoryPoint> curve(int... stepsAndPercent) {
    List<HistoryPoint> c = new ArrayList<>();
    for (int i = 0; i < stepsAndPercent.length; i += 2) {
      c.add(new HistoryPoint(stepsAndPercent[i], stepsAndPercent[i + 1] / 100.0));
    }
    return c;
  }

  private static ResultsTable sweep() {
    List<FewShotRun> runs = new ArrayList<>();
    String[] heads = {"last", "deeper", "concat", "dwatt"};
    int[] ks = {50, 100, 1000, FewShotRun.FULL};
    for (int h = 0; h < heads.length; h++) {
      for (int k : ks) {
        for (int seed = 1; seed <= 3; seed++) {
          double f1 = 0.45 + 0.04 * h + 0.02 * seed + (k == FewShotRun.FULL ? 0.35 : k / 5000.0);
          int last = 100 + 20 * seed;
          List<HistoryPoint> history = curve(20, 10, 60, 40 + h, last, (int) (f1 * 100));
          runs.add(TestRuns.run(heads[h], k, seed, f1, 1000 + h, history));
        }
      }
    }
    return ResultsTable.of(runs);
  }

  private static void assertPng(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes.length).isGreaterThan(1000);
    assertThat(java.util.Arrays.copyOf(bytes, 8)).isEqualTo(PNG_SIGNATURE);
    BufferedImage image = ImageIO.read(file.toFile());
    assertThat(image).isNotNull();
    assertThat(image.getWidth()).isEqualTo(Plots.WIDTH);
    assertThat(image.getHeight()).isEqualTo(Plots.HEIGHT);
  }

  @Test
  void writesTestF1AgainstKAsPng() throws IOException {
    Path file = Plots.writeF1VsK(sweep(), dir.resolve("f1-vs-k.png"));

    assertPng(file);
  }

  @Test
  void writesDevF1AgainstStepAsPng() throws IOException {
    Optional<Path> file = Plots.writeStepCurves(sweep(), 100, dir.resolve("steps-k100.png"));

    assertThat(file).isPresent();
    assertPng(file.get());
  }

  @Test
  void noStepChartWithoutRunsAtThatK() throws IOException {
    Path file = dir.resolve("steps-k200.png");

    assertThat(Plots.writeStepCurves(sweep(), 200, file)).isEmpty();
    assertThat(file).doesNotExist();
  }

  @Test
  void meanCurveInterpolatesEachSeedOverTheStepsAllSeedsCover() {
    List<HistoryPoint> a = curve(0, 0, 10, 50, 20, 60);
    List<HistoryPoint> b = curve(5, 20, 15, 40, 25, 80);

    List<HistoryPoint> mean = StepCurves.mean(List.of(a, b));

    // steps 5..20; a at 5 = 25, b at 10 = 30, a at 15 = 55, b at 20 = 60 (interpolated)
    assertThat(mean).extracting(HistoryPoint::step).containsExactly(5, 10, 15, 20);
    assertThat(mean)
        .extracting(HistoryPoint::f1)
        .satisfiesExactly(
            f -> assertThat(f).isCloseTo(0.225, within(1e-12)),
            f -> assertThat(f).isCloseTo(0.40, within(1e-12)),
            f -> assertThat(f).isCloseTo(0.475, within(1e-12)),
            f -> assertThat(f).isCloseTo(0.60, within(1e-12)));
  }

  @Test
  void seedsWithTheSameStepsGiveThePlainMean() {
    List<HistoryPoint> mean =
        StepCurves.mean(List.of(curve(20, 30, 40, 50), curve(20, 40, 40, 70)));

    assertThat(mean).extracting(HistoryPoint::step).containsExactly(20, 40);
    assertThat(mean.get(0).f1()).isCloseTo(0.35, within(1e-12));
    assertThat(mean.get(1).f1()).isCloseTo(0.60, within(1e-12));
  }

  @Test
  void stepTicksAreRoundAndAtMostAboutTen() {
    assertThat(Plots.tickUnit(260)).isEqualTo(50);
    assertThat(Plots.tickUnit(100)).isEqualTo(10);
    assertThat(Plots.tickUnit(3000)).isEqualTo(500);
    assertThat(Plots.tickUnit(7)).isEqualTo(1);
  }
}
