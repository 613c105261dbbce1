package dev.strata.model.fewshot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * PNG charts of a sweep, drawn with JFreeChart without a display ({@code java.awt.headless} is set
 * to {@code true} unless the caller set it).
 *
 * <ul>
 *   <li>{@link #writeF1VsK}: test F1 (mean ± std over seeds) against k, one line per head. The k
 *       axis is categorical and evenly spaced (50, 100, 200, 500, 1000 are close to evenly spaced
 *       on a log scale; {@code full} goes last); heads are offset slightly along it so their error
 *       bars do not overlap.
 *   <li>{@link #writeStepCurves}: dev F1 against training step at one k, one bold line per head for
 *       the mean over seeds ({@link StepCurves}: linear interpolation, steps every seed covers) and
 *       a thin line for each seed as logged.
 * </ul>
 */
public final class Plots {
  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** Width of every chart in pixels. */
  public static final int WIDTH = 1000;

  /** Height of every chart in pixels. */
  public static final int HEIGHT = 620;

  private static final double HEAD_OFFSET = 0.07;
  private static final Color[] OTHER_COLORS = {
    new Color(0xCC79A7), new Color(0x56B4E9), new Color(0xF0E442), new Color(0x000000)
  };

  private Plots() {}

  /** Writes test F1 against k for every head of the table to {@code file} (PNG). */
  public static Path writeF1VsK(ResultsTable table, Path file) throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    List<Integer> ks = table.ks();
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    List<String> heads = table.heads();
    for (int h = 0; h < heads.size(); h++) {
      String head = heads.get(h);
      YIntervalSeries series = new YIntervalSeries(head);
      double offset = (h - (heads.size() - 1) / 2.0) * HEAD_OFFSET;
      for (int i = 0; i < ks.size(); i++) {
        Optional<MeanStd> f1 = table.testF1(head, ks.get(i));
        if (f1.isPresent()) {
          double mean = f1.get().mean() * 100;
          double std = f1.get().hasStd() ? f1.get().std() * 100 : 0;
          series.add(i + offset, mean, mean - std, mean + std);
        } else {
          // A gap: the renderer draws no segment to or from a missing cell.
          series.add(i + offset, Double.NaN, Double.NaN, Double.NaN);
        }
      }
      dataset.addSeries(series);
    }
    String[] labels = ks.stream().map(Points::k).toArray(String[]::new);
    SymbolAxis kAxis = new SymbolAxis("k (training sentences)", labels);
    kAxis.setGridBandsVisible(false);
    kAxis.setRange(-0.5, ks.size() - 0.5);
    NumberAxis f1Axis = new NumberAxis("test F1 (points)");
    f1Axis.setAutoRangeIncludesZero(false);

    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(true);
    renderer.setDefaultShapesVisible(true);
    renderer.setCapLength(8);
    renderer.setErrorStroke(new BasicStroke(1.5f));
    for (int h = 0; h < heads.size(); h++) {
      renderer.setSeriesPaint(h, color(heads.get(h), h));
      renderer.setSeriesStroke(h, new BasicStroke(2.2f));
    }
    XYPlot plot = new XYPlot(dataset, kAxis, f1Axis, renderer);
    JFreeChart chart =
        chart(
            plot,
            table.backbone() + " on " + table.data() + ": test F1 against k",
            "mean ± std over seeds (sample std); heads offset slightly along k so the bars do not"
                + " overlap");
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return file;
  }

  /**
   * Writes dev F1 against training step for every head at {@code k} to {@code file} (PNG).
   *
   * @return the file, or empty when no run at this k has a history (nothing is written)
   */
  public static Optional<Path> writeStepCurves(ResultsTable table, int k, Path file)
      throws IOException {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(file, "file");
    Map<String, List<List<HistoryPoint>>> byHead = new TreeMap<>(ResultsTable::compareHeads);
    for (FewShotRun r : table.runs()) {
      if (r.k() == k && !r.history().isEmpty()) {
        byHead.computeIfAbsent(r.head(), h -> new ArrayList<>()).add(r.history());
      }
    }
    if (byHead.isEmpty()) {
      return Optional.empty();
    }
    XYSeriesCollection means = new XYSeriesCollection();
    XYSeriesCollection seeds = new XYSeriesCollection();
    XYLineAndShapeRenderer meanRenderer = new XYLineAndShapeRenderer(true, false);
    XYLineAndShapeRenderer seedRenderer = new XYLineAndShapeRenderer(true, false);
    int m = 0;
    int s = 0;
    for (Map.Entry<String, List<List<HistoryPoint>>> e : byHead.entrySet()) {
      Color color = color(e.getKey(), table.heads().indexOf(e.getKey()));
      List<List<HistoryPoint>> histories = e.getValue();
      means.addSeries(
          points(
              e.getKey() + " (" + histories.size() + (histories.size() == 1 ? " seed)" : " seeds)"),
              StepCurves.mean(histories)));
      meanRenderer.setSeriesPaint(m, color);
      meanRenderer.setSeriesStroke(m++, new BasicStroke(2.8f));
      for (List<HistoryPoint> h : histories) {
        seeds.addSeries(points(e.getKey() + " seed " + s, h));
        seedRenderer.setSeriesPaint(
            s, new Color(color.getRed(), color.getGreen(), color.getBlue(), 80));
        seedRenderer.setSeriesStroke(s, new BasicStroke(1f));
        seedRenderer.setSeriesVisibleInLegend(s++, false);
      }
    }
    NumberAxis stepAxis = new NumberAxis("training step");
    stepAxis.setAutoRangeIncludesZero(true);
    int maxStep =
        byHead.values().stream()
            .flatMap(List::stream)
            .flatMap(List::stream)
            .mapToInt(HistoryPoint::step)
            .max()
            .orElse(1);
    stepAxis.setTickUnit(new NumberTickUnit(tickUnit(maxStep)));
    NumberAxis f1Axis = new NumberAxis("dev F1 (points)");
    f1Axis.setAutoRangeIncludesZero(false);
    // Dataset 0 is drawn last (on top): the means over the seeds.
    XYPlot plot = new XYPlot(means, stepAxis, f1Axis, meanRenderer);
    plot.setDataset(1, seeds);
    plot.setRenderer(1, seedRenderer);
    JFreeChart chart =
        chart(
            plot,
            table.backbone()
                + " on "
                + table.data()
                + ": dev F1 against training step, k="
                + Points.k(k),
            "bold: mean over seeds (each seed interpolated linearly, steps every seed reached);"
                + " thin: each seed");
    ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    return Optional.of(file);
  }

  /** A round tick spacing (1, 2 or 5 times a power of ten) giving at most about ten ticks. */
  static double tickUnit(double max) {
    double raw = Math.max(max, 1) / 10;
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double m : new double[] {1, 2, 5}) {
      if (m * magnitude >= raw) {
        return Math.max(1, m * magnitude);
      }
    }
    return Math.max(1, 10 * magnitude);
  }

  private static XYSeries points(String key, List<HistoryPoint> curve) {
    XYSeries series = new XYSeries(key, false, true);
    curve.forEach(p -> series.add(p.step(), p.f1() * 100));
    return series;
  }

  private static JFreeChart chart(XYPlot plot, String title, String subtitle) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xDDDDDD));
    plot.setRangeGridlinePaint(new Color(0xDDDDDD));
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    JFreeChart chart = new JFreeChart(title, new Font("SansSerif", Font.BOLD, 18), plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    chart.addSubtitle(new TextTitle(subtitle, new Font("SansSerif", Font.PLAIN, 12)));
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setFrame(BlockBorder.NONE);
    legend.setItemFont(new Font("SansSerif", Font.PLAIN, 14));
    return chart;
  }

  /** One fixed colour per known head (Okabe–Ito palette), so every chart reads the same way. */
  static Color color(String head, int index) {
    return switch (head) {
      case "last" -> new Color(0x777777);
      case "deeper" -> new Color(0xE69F00);
      case "concat" -> new Color(0x0072B2);
      case "dwatt" -> new Color(0xD55E00);
      case "scalarmix" -> new Color(0x009E73);
      case SweepHead.DWATT_SCALED -> new Color(0xCC79A7);
      default -> OTHER_COLORS[Math.floorMod(index, OTHER_COLORS.length)];
    };
  }
}
