package org.loggregator.bench.harness;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws loss against rate as a PNG (Java 2D, headless): both axes logarithmic, a run without loss
 * on the bottom line. Beside the measured medians, the figures the original system published and
 * the goals.
 */
final class LossPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final int LEFT = 90;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;
  private static final double MIN_RATE = 300;
  private static final double MAX_RATE = 400_000;
  private static final double MIN_LOSS = 0.001; // percent, the bottom line stands for 0
  private static final double MAX_LOSS = 100;

  /** The original system, per doppler: rate, loss %. */
  static final double[][] ORIGINAL = {{500, 0.9}, {1000, 1.7}, {5000, 8.9}, {5500, 9.8}};

  /** Its later version on 2 cores, everything co-located: rate, loss % (middle of the range). */
  static final double[][] LATER = {{20_000, 0.45}, {30_000, 5}, {60_000, 47}};

  /** This system's series, one colour each: condition and client. */
  private static final Color[] OURS = {
    new Color(30, 80, 200),
    new Color(0, 160, 170),
    new Color(130, 60, 190),
    new Color(90, 90, 90),
    new Color(200, 0, 120),
    new Color(120, 160, 0)
  };

  private LossPlot() {}

  static void write(List<RunResult> medians, String title, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    axes(g, title);

    // Goals: under 0.01 % up to 30,000/s, under 1 % at 60,000/s.
    g.setColor(new Color(0, 150, 0));
    g.setStroke(
        new BasicStroke(
            1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
    g.drawLine(x(500), y(0.01), x(30_000), y(0.01));
    g.drawLine(x(30_000), y(0.01), x(60_000), y(1));
    g.drawLine(x(60_000), y(1), x(60_000), y(1));

    series(g, ORIGINAL, new Color(200, 60, 40), false);
    series(g, LATER, new Color(230, 140, 0), false);
    Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
    for (RunResult r : medians) {
      // "Unlimited" goes where its achieved rate puts it.
      double rate = r.rate() == 0 ? r.achievedRate() : r.rate();
      bySeries
          .computeIfAbsent(r.series(), k -> new ArrayList<>())
          .add(new double[] {rate, r.lossPercent()});
    }
    List<String> labels = new ArrayList<>();
    List<Color> colors = new ArrayList<>();
    int i = 0;
    for (Map.Entry<String, List<double[]>> series : bySeries.entrySet()) {
      double[][] points = series.getValue().toArray(new double[0][]);
      Arrays.sort(points, Comparator.comparingDouble(point -> point[0]));
      Color color = OURS[i++ % OURS.length];
      series(g, points, color, true);
      labels.add("this system, " + series.getKey() + " (median of runs)");
      colors.add(color);
    }
    labels.addAll(
        List.of(
            "original, per doppler (published)",
            "later version, 2 cores co-located (published)",
            "goal"));
    colors.addAll(List.of(new Color(200, 60, 40), new Color(230, 140, 0), new Color(0, 150, 0)));
    legend(g, labels.toArray(new String[0]), colors.toArray(new Color[0]));
    g.dispose();
    ImageIO.write(image, "png", file.toFile());
  }

  private static void axes(Graphics2D g, String title) {
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.setColor(Color.BLACK);
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.setStroke(new BasicStroke(1));
    for (double rate :
        new double[] {500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000}) {
      g.setColor(new Color(225, 225, 225));
      g.drawLine(x(rate), TOP, x(rate), HEIGHT - BOTTOM);
      g.setColor(Color.BLACK);
      String label = rate >= 1000 ? String.format(Locale.ROOT, "%,.0fk", rate / 1000) : "500";
      g.drawString(
          label, x(rate) - g.getFontMetrics().stringWidth(label) / 2, HEIGHT - BOTTOM + 18);
    }
    double[] losses = {MIN_LOSS, 0.01, 0.1, 1, 10, 100};
    for (double loss : losses) {
      g.setColor(new Color(225, 225, 225));
      g.drawLine(LEFT, y(loss), WIDTH - RIGHT, y(loss));
      g.setColor(Color.BLACK);
      String label = loss == MIN_LOSS ? "≤ 0.001 %" : (loss < 1 ? loss + " %" : (int) loss + " %");
      g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y(loss) + 4);
    }
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    g.drawString("envelopes/s sent to the agent (log scale)", WIDTH / 2 - 120, HEIGHT - 25);
    g.rotate(-Math.PI / 2);
    g.drawString(
        "lost end to end (log scale; bottom line: 0.001 % or none)", -HEIGHT / 2 - 140, 22);
    g.rotate(Math.PI / 2);
  }

  private static void series(Graphics2D g, double[][] points, Color color, boolean line) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2));
    Path2D path = new Path2D.Double();
    for (int i = 0; i < points.length; i++) {
      int px = x(points[i][0]);
      int py = y(Math.max(MIN_LOSS, points[i][1]));
      if (i == 0) {
        path.moveTo(px, py);
      } else {
        path.lineTo(px, py);
      }
      g.fillOval(px - 4, py - 4, 8, 8);
    }
    if (line) {
      g.draw(path);
    }
  }

  private static void legend(Graphics2D g, String[] labels, Color[] colors) {
    int lx = LEFT + 15;
    int ly = TOP + 20;
    for (int i = 0; i < labels.length; i++) {
      g.setColor(colors[i]);
      g.fillOval(lx, ly + i * 18 - 8, 8, 8);
      g.setColor(Color.BLACK);
      g.drawString(labels[i], lx + 16, ly + i * 18);
    }
  }

  private static int x(double rate) {
    double f =
        (Math.log10(rate) - Math.log10(MIN_RATE)) / (Math.log10(MAX_RATE) - Math.log10(MIN_RATE));
    return LEFT + (int) Math.round(f * (WIDTH - LEFT - RIGHT));
  }

  private static int y(double loss) {
    double l = Math.min(MAX_LOSS, Math.max(MIN_LOSS, loss));
    double f =
        (Math.log10(l) - Math.log10(MIN_LOSS)) / (Math.log10(MAX_LOSS) - Math.log10(MIN_LOSS));
    return HEIGHT - BOTTOM - (int) Math.round(f * (HEIGHT - TOP - BOTTOM));
  }
}
