package it.org.loggregator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The viewer under a steady flood: lines sent at a fixed rate while the Pause button is clicked
 * again and again. For each click, the page measures how long it took from the input event to the
 * first frame painted after the click's handler ran; the rows in the page are sampled as it goes.
 * Measured and reported, never asserted.
 */
final class ViewerLoad {
  private static final String PROBE =
      "window.viewerClicks = [];"
          + "window.viewerLongTasks = [];"
          + "document.getElementById('pause').addEventListener('click', (e) => {"
          + "  const t0 = e.timeStamp;"
          + "  requestAnimationFrame(() => setTimeout("
          + "    () => window.viewerClicks.push(performance.now() - t0), 0));"
          + "});"
          + "try { new PerformanceObserver((list) => {"
          + "  for (const t of list.getEntries()) window.viewerLongTasks.push(t.duration);"
          + "}).observe({ type: 'longtask' }); } catch (e) {}";

  /** What one run measured. */
  record Result(
      int rate,
      long sent,
      Duration duration,
      List<Double> latenciesMs,
      List<Double> webDriverMs,
      int clicks,
      int maxDomRows,
      List<Double> longTasksMs,
      String pageRate,
      double slowConsumerDrops) {

    String report() {
      return String.format(
          "Viewer at %,d lines/s for %d s (%,d lines sent), headless Chromium:%n"
              + "  click to next frame (in the page): median %.1f ms, p95 %.1f ms, max %.1f ms"
              + " over %d clicks%n"
              + "  WebDriver click call (round trip included): median %.1f ms, max %.1f ms%n"
              + "  rows in the page at most: %d%n"
              + "  long tasks (> 50 ms): %d, longest %.1f ms%n"
              + "  the page's own rate counter at the end: %s%n"
              + "  envelopes the controller dropped for this client: %.0f%n",
          rate,
          duration.toSeconds(),
          sent,
          percentile(latenciesMs, 50),
          percentile(latenciesMs, 95),
          percentile(latenciesMs, 100),
          latenciesMs.size(),
          percentile(webDriverMs, 50),
          percentile(webDriverMs, 100),
          maxDomRows,
          longTasksMs.size(),
          percentile(longTasksMs, 100),
          pageRate,
          slowConsumerDrops);
    }
  }

  private final HeadlessChromium browser;
  private final AppLines lines;
  private final String metricsUrl;

  ViewerLoad(HeadlessChromium browser, AppLines lines, String baseUrl) {
    this.browser = browser;
    this.lines = lines;
    this.metricsUrl = baseUrl + "/metrics?scope=application";
  }

  Result run(int perSecond, Duration duration, int clicks) throws Exception {
    browser.script(PROBE);
    double dropsBefore = slowConsumerDrops();
    CompletableFuture<Long> sending =
        CompletableFuture.supplyAsync(() -> lines.pace("LOAD", perSecond, duration, () -> false));
    Thread.sleep(5000); // the JIT, the stream and the page reach their pace first
    List<Double> webDriver = new ArrayList<>();
    int maxRows = 0;
    for (int i = 0; i < clicks; i++) {
      long t0 = System.nanoTime();
      browser.find("#pause").click();
      webDriver.add((System.nanoTime() - t0) / 1e6);
      Thread.sleep(400);
      maxRows = Math.max(maxRows, domRows());
    }
    if ("true".equals(browser.find("#pause").getAttribute("aria-pressed"))) {
      browser.find("#pause").click();
    }
    long sent = sending.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
    Thread.sleep(1500);
    maxRows = Math.max(maxRows, domRows());
    return new Result(
        perSecond,
        sent,
        duration,
        numbers(browser.script("return window.viewerClicks")),
        webDriver,
        clicks,
        maxRows,
        numbers(browser.script("return window.viewerLongTasks")),
        browser.find("#rate-now").getText(),
        slowConsumerDrops() - dropsBefore);
  }

  private int domRows() {
    return ((Number) browser.script("return document.querySelectorAll('#lines .row').length"))
        .intValue();
  }

  private static List<Double> numbers(Object list) {
    List<Double> out = new ArrayList<>();
    if (list instanceof List<?> values) {
      for (Object v : values) {
        out.add(((Number) v).doubleValue());
      }
    }
    return out;
  }

  private static double percentile(List<Double> values, int p) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int at = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, at)));
  }

  /** The controller's dopplerProxy.slowConsumer counter: envelopes its clients lost. */
  private double slowConsumerDrops() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(metricsUrl))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    double sum = 0;
    for (String line : r.body().split("\n")) {
      if (line.startsWith("dopplerProxy_slowConsumer_total{")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
      }
    }
    return sum;
  }
}
