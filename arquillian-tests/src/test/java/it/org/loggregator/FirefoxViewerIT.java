package it.org.loggregator;

import static it.org.loggregator.HeadlessFirefox.BACKSPACE;
import static it.org.loggregator.HeadlessFirefox.CONTROL;
import static it.org.loggregator.HeadlessFirefox.HOME;
import static it.org.loggregator.HeadlessFirefox.SHIFT;
import static it.org.loggregator.HeadlessFirefox.TAB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The log viewer (/view/{appId}) in Debian's headless Firefox ESR, driven through WebDriver BiDi
 * (HeadlessFirefox), against the real all-in-one server, one server and one browser for every
 * check, in order: sign-in from the address's fragment, recent then live lines joined with no gap
 * or duplicate, colours, hostile text shown as text, the filters worked from the keyboard, pause,
 * sign-in from the form, a screenshot (target/viewer-firefox.png); and nothing on the console.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirefoxViewerIT {
  private static final String APP = "viewer-firefox-" + UUID.randomUUID();
  private static final Path TARGET = Path.of("target").toAbsolutePath();

  private static ViewerServer server;
  private static ViewerPage page;
  private static HeadlessFirefox browser;

  @BeforeAll
  static void startServerAndBrowser() throws Exception {
    browser = new HeadlessFirefox(1200, 680); // first: without the browser, fail before anything
    page = new ViewerPage(browser);
    server = ViewerServer.start("it-viewer-firefox", 18520, APP);
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

  private static String text(String css) {
    return (String) browser.script("return document.querySelector(arguments[0]).textContent", css);
  }

  private static boolean visible(String css) {
    return (Boolean)
        browser.script(
            "const e = document.querySelector(arguments[0]); return !!e && e.checkVisibility()",
            css);
  }

  /** Replaces the text filter, as a user selecting it all and typing over it does. */
  private static void filterText(String pattern) {
    browser.click("#filter-text");
    browser.press(CONTROL, "a");
    browser.type(pattern.isEmpty() ? BACKSPACE : pattern);
  }

  /** The errors the console got since last asked (script errors, policy violations). */
  private static List<String> consoleErrors() {
    return browser.console().stream().filter(l -> l.startsWith("ERROR")).toList();
  }

  /** The lines shown, as the Download button saves them. */
  private static List<String> download() throws Exception {
    Path file = browser.downloads.resolve(APP + ".log");
    Files.deleteIfExists(file);
    browser.click("#download");
    browser.await(
        "the download is saved",
        30,
        () -> Files.exists(file) && !Files.exists(file.resolveSibling(APP + ".log.part")));
    Thread.sleep(300);
    return Files.readAllLines(file, StandardCharsets.UTF_8);
  }

  @Test
  @Order(1)
  void shouldSignInFromTheFragmentAndJoinRecentAndLiveLinesWithNoGapOrDuplicate() throws Exception {
    page.joinsRecentAndLiveLinesWithNoGapOrDuplicate(server, APP, FirefoxViewerIT::download);
    assertEquals(List.of(), consoleErrors(), "no script error and no policy violation");
  }

  @Test
  @Order(2)
  void shouldShowErrInRedNoticesApartAndHostileTextAsText() {
    page.showsErrInRedNoticesApartAndHostileTextAsText(server.lines, FirefoxViewerIT::filterText);
    filterText("");
    browser.await("every line again", 10, () -> page.showing("LIVE-OUT last line"));
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  @Order(3)
  void shouldFilterBySourceInstanceAndTextAsLinesArrive() {
    // The drop-downs by keyboard, as a user does without opening them: Shift+Tab back from the
    // text field, a letter picks the first choice it starts, Home goes back to "all".
    browser.click("#filter-text");
    browser.press(SHIFT, TAB);
    browser.press(SHIFT, TAB);
    browser.type("R");
    browser.await(
        "only RTR lines", 10, () -> page.rows().stream().allMatch(r -> r.startsWith("RTR/1")));
    assertTrue(page.showing("RECENT-RTR GET / 200"));
    browser.type(HOME);
    browser.await("every source again", 10, () -> page.showing("LIVE-OUT last line"));

    browser.press(TAB);
    browser.type("1");
    browser.await(
        "only instance 1", 10, () -> page.rows().stream().allMatch(r -> r.startsWith("RTR/1")));
    browser.type(HOME);
    browser.await("every instance again", 10, () -> page.showing("LIVE-OUT last line"));

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
        () ->
            "true"
                .equals(
                    browser.script(
                        "return document.getElementById('filter-text')"
                            + ".getAttribute('aria-invalid')")));
    assertTrue(text("#filter-error").startsWith("Not a regular expression"));
    assertEquals(2, page.rows().size(), "the last valid filter stays");
    filterText("");
    browser.await("every line again", 10, () -> page.rows().size() > 2);
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  @Order(4)
  void shouldHoldLinesWhilePausedAndShowThemOnResume() {
    browser.click("#pause");
    browser.await("paused", 10, () -> "paused".equals(page.state()));
    server.lines.out("HELD-1");
    server.lines.out("HELD-2");
    server.lines.out("HELD-3");
    browser.await("3 lines held", 30, () -> text("#pause").contains("3 held"));
    assertFalse(page.showing("HELD-1"));
    browser.click("#pause");
    browser.await("the held lines show", 10, () -> page.showing("HELD-3"));
    assertTrue(page.showing("HELD-1") && page.showing("HELD-2"));
    assertEquals("live", page.state());
    assertEquals("Pause", text("#pause"));
    assertEquals(List.of(), consoleErrors());
  }

  @Test
  @Order(5)
  void shouldAskForATokenWithoutTheCookieAndSignInFromTheForm() {
    browser.deleteCookies();
    browser.open(server.base + "/view/");
    browser.click("#chooser-app");
    browser.type(APP + "\n");
    browser.await("the sign-in form", 30, () -> visible("#signin"));
    assertEquals(server.base + "/view/" + APP, browser.url());

    browser.click("#signin-token");
    browser.type(server.token("some-other-app") + "\n");
    browser.await(
        "a token for another app is refused",
        30,
        () -> text("#signin-error").contains("does not grant"));
    // Firefox itself reports each refused handshake of the stream ("can't establish a connection"):
    // 401 without the cookie, then 403 for the other app's token. Nothing else may show.
    List<String> others =
        consoleErrors().stream().filter(l -> !l.contains("/apps/" + APP + "/stream")).toList();
    assertEquals(List.of(), others, "no error but the refused stream's");

    browser.click("#signin-token");
    browser.type(server.token(APP) + "\n");
    page.awaitLive();
    browser.await("recent lines again", 30, () -> page.showing("HELD-3"));
    assertFalse(visible("#signin"));
  }

  @Test
  @Order(6)
  void shouldSaveAScreenshotOfTheViewer() throws Exception {
    server.lines.log("GET /api/orders HTTP/1.1 200 1432 12ms", false, "RTR", "0");
    server.lines.out("Handling order 8811 for customer 1188");
    server.lines.metric(0, 38.5, 600L << 20, 1L << 30, 96L << 20);
    server.lines.err("java.lang.IllegalStateException: payment service timed out");
    server.lines.out("Retrying order 8811 (attempt 2)");
    browser.await("the last line shows", 30, () -> page.showing("Retrying order 8811 (attempt 2)"));
    Thread.sleep(1200); // the side panel redraws once a second
    Path file = TARGET.resolve("viewer-firefox.png");
    browser.screenshot(file);
    BufferedImage image = ImageIO.read(file.toFile());
    assertEquals(List.of(1200, 680), List.of(image.getWidth(), image.getHeight()));
  }

  @Test
  @Order(7)
  void shouldHaveWrittenNoErrorToTheConsole() {
    assertEquals(List.of(), consoleErrors(), "no script error and no policy violation");
  }
}
