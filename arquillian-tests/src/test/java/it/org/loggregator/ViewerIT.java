package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.Select;

/**
 * The log viewer (/view/{appId}) in Debian's headless Chromium against the real all-in-one server,
 * one server and one browser for every check, in order: sign-in from the address's fragment, recent
 * then live lines joined with no gap or duplicate, colours, hostile text shown as text, filters,
 * pause, sign-in from the form; then 5,000 lines a second, where the time a click takes to act is
 * measured and reported (target/viewer-performance.txt), never asserted.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerIT {
  private static final String APP = "viewer-" + UUID.randomUUID();
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private static ViewerServer server;
  private static ViewerPage page;
  private static HeadlessChromium browser;

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    browser = new HeadlessChromium(1200, 680); // first: without the browser, fail before anything
    page = new ViewerPage(browser);
    server = ViewerServer.start("it-viewer", 18500, APP);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Replaces the text filter, as a user selecting it all and typing over it does. */
  private static void filterText(String pattern) {
    browser
        .find("#filter-text")
        .sendKeys(Keys.chord(Keys.CONTROL, "a"), pattern.isEmpty() ? Keys.BACK_SPACE : pattern);
  }

  /** The lines shown, as the Download button saves them. */
  private static List<String> download() throws Exception {
    Path file = browser.downloads.resolve(APP + ".log");
    Files.deleteIfExists(file);
    browser.find("#download").click();
    browser.await("the download is saved", 30, () -> Files.exists(file));
    Thread.sleep(300);
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void shouldSignInFromTheFragmentAndJoinRecentAndLiveLinesWithNoGapOrDuplicate() throws Exception {
    page.joinsRecentAndLiveLinesWithNoGapOrDuplicate(server, APP, ViewerIT::download);
    List<String> problems = browser.console().stream().filter(l -> l.startsWith("SEVERE")).toList();
    assertEquals(List.of(), problems, "no script error and no policy violation");
  }

  @Test
  @Order(2)
  void shouldShowErrInRedNoticesApartAndHostileTextAsText() {
    page.showsErrInRedNoticesApartAndHostileTextAsText(server.lines, ViewerIT::filterText);
    filterText("");
  }

  @Test
  @Order(3)
  void shouldFilterBySourceInstanceAndTextAsLinesArrive() {
    new Select(browser.find("#filter-source")).selectByValue("RTR");
    browser.await(
        "only RTR lines", 10, () -> page.rows().stream().allMatch(r -> r.startsWith("RTR/1")));
    assertTrue(page.showing("RECENT-RTR GET / 200"));
    new Select(browser.find("#filter-source")).selectByValue("");

    new Select(browser.find("#filter-instance")).selectByValue("1");
    browser.await(
        "only instance 1", 10, () -> page.rows().stream().allMatch(r -> r.startsWith("RTR/1")));
    new Select(browser.find("#filter-instance")).selectByValue("");

    filterText("^LATE-[0-9]+$");
    browser.await("nothing matches yet", 10, () -> page.rows().isEmpty());
    server.lines.out("LATE-1");
    server.lines.err("LATE-2");
    server.lines.out("LATE-3 not this one");
    browser.await("the new matches show", 30, () -> page.rows().size() == 2);
    assertTrue(page.showing("LATE-1") && page.showing("LATE-2"));

    filterText("(");
    browser.await(
        "an invalid expression is pointed out",
        10,
        () -> "true".equals(browser.find("#filter-text").getAttribute("aria-invalid")));
    assertEquals(2, page.rows().size(), "the last valid filter stays");
    filterText("");
    browser.await("every line again", 10, () -> page.rows().size() > 2);
  }

  @Test
  @Order(4)
  void shouldHoldLinesWhilePausedAndShowThemOnResume() {
    browser.find("#pause").click();
    browser.await("paused", 10, () -> "paused".equals(page.state()));
    server.lines.out("HELD-1");
    server.lines.out("HELD-2");
    server.lines.out("HELD-3");
    browser.await("3 lines held", 30, () -> browser.find("#pause").getText().contains("3 held"));
    assertFalse(page.showing("HELD-1"));
    browser.find("#pause").click();
    browser.await("the held lines show", 10, () -> page.showing("HELD-3"));
    assertTrue(page.showing("HELD-1") && page.showing("HELD-2"));
    assertEquals("live", page.state());
  }

  @Test
  @Order(5)
  void shouldAskForATokenWithoutTheCookieAndSignInFromTheForm() {
    browser.driver.manage().deleteAllCookies();
    browser.open(server.base + "/view/");
    browser.find("#chooser-app").sendKeys(APP + "\n");
    browser.await("the sign-in form", 30, () -> browser.find("#signin").isDisplayed());
    assertEquals(server.base + "/view/" + APP, browser.driver.getCurrentUrl());

    browser.find("#signin-token").sendKeys(server.token("some-other-app") + "\n");
    browser.await(
        "a token for another app is refused",
        30,
        () -> browser.find("#signin-error").getText().contains("does not grant"));
    browser.find("#signin-token").sendKeys(server.token(APP) + "\n");
    page.awaitLive();
    browser.await("recent lines again", 30, () -> page.showing("HELD-3"));
  }

  @Test
  @Order(6)
  void shouldShowAnAppsLogsAsTheReadmeShowsThem() throws Exception {
    String shop = "shop-orders";
    try (AppLines app = new AppLines(server.udpPort, shop)) {
      app.log("GET /api/orders HTTP/1.1 200 1432 12ms", false, "RTR", "0");
      app.out("Handling order 8811 for customer 1188");
      browser.open(server.base + "/view/" + shop + "#token=" + server.token(APP, shop));
      page.awaitLive();
      for (int second = 0; second < 8; second++) {
        for (int i = 0; i < 3 + (second * 7) % 11; i++) {
          app.log(
              "GET /api/orders/" + (8700 + 10 * second + i) + " HTTP/1.1 200 312 4ms",
              false,
              "RTR",
              "0");
        }
        app.out("Handling order " + (8812 + second) + " for customer " + (1207 + 3 * second));
        app.log("order " + (8812 + second) + ": reserved 3 items", false, "APP", "1");
        app.metric(0, 38 + second / 2.0, (600L + second) << 20, 1L << 30, 96L << 20);
        app.metric(1, 18.2, 410L << 20, 1L << 30, 92L << 20);
        Thread.sleep(1000);
      }
      app.err(
          "java.lang.IllegalStateException: payment service timed out\n"
              + "\tat shop.Payments.charge(Payments.java:88)\n"
              + "\tat shop.Orders.place(Orders.java:41)");
      app.log("POST /api/orders HTTP/1.1 502 88 3012ms", false, "RTR", "0");
      app.log(
          "Log message output too high. We've dropped 112 messages to stream subscriber.",
          true,
          "LGR",
          "");
      app.out("Retrying order 8819 (attempt 2)");
      app.log("order 8819: paid, 3 items shipped", false, "APP", "1");
      browser.await(
          "the last line shows", 30, () -> page.showing("order 8819: paid, 3 items shipped"));
      Thread.sleep(1200); // the side panel redraws once a second
      browser.screenshot(TARGET.resolve("viewer.png"));
    }
  }

  @Test
  @Order(7)
  void shouldStayBoundedAndMeasureClicksAtFiveThousandLinesASecond() throws Exception {
    browser.open(server.base + "/view/" + APP);
    page.awaitLive();
    ViewerLoad load = new ViewerLoad(browser, server.lines, server.base);
    ViewerLoad.Result result = load.run(5000, Duration.ofSeconds(20), 20);
    Files.writeString(TARGET.resolve("viewer-performance.txt"), result.report());
    System.out.println(result.report());
    browser.screenshot(TARGET.resolve("viewer-5000.png"));
    assertTrue(result.maxDomRows() <= 10_000, "rows in the page: " + result.maxDomRows());
    assertEquals(result.clicks(), result.latenciesMs().size(), "every click acted");
  }
}
