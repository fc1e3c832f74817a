package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/** What the viewer's page shows, read the same way in every browser a test drives. */
final class ViewerPage {
  /** A browser that runs scripts in the page and waits for conditions. */
  interface Browser {
    Object script(String script, Object... args);

    /** Waits until the condition holds, at most {@code seconds}; its failure names {@code what}. */
    void await(String what, int seconds, BooleanSupplier condition);

    void open(String url);

    /** The address the page shows now. */
    String url();
  }

  private final Browser browser;

  ViewerPage(Browser browser) {
    this.browser = browser;
  }

  /** The rows in the page, top to bottom, as "source\ttype\tmessage\tclasses". */
  @SuppressWarnings("unchecked")
  List<String> rows() {
    return (List<String>)
        browser.script(
            "return [...document.querySelectorAll('#lines .row:not([hidden])')]"
                + ".sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)"
                + ".map(r => [...r.children].slice(1).map(c => c.textContent).join('\\t')"
                + " + '\\t' + r.className);");
  }

  /** Whether a shown row's message is {@code text}. */
  boolean showing(String text) {
    return rows().stream().anyMatch(r -> r.contains("\t" + text + "\t"));
  }

  /** The connection state the page shows: {@code live}, {@code paused}, .... */
  String state() {
    return (String) browser.script("return document.getElementById('state').dataset.state");
  }

  void awaitLive() {
    browser.await("the stream is live", 60, () -> "live".equals(state()));
  }

  /**
   * Sends a line of HTML and a right-to-left override, filters with {@code filterText} (as the
   * test's browser types) to it and the recent lines, and checks: the line shows as text (no
   * element, no script ran), ERR lines are red, other lines are not, LGR notices stand out.
   */
  void showsErrInRedNoticesApartAndHostileTextAsText(AppLines lines, Consumer<String> filterText) {
    String hostile = "<img src=x onerror=\"window.pwned=1\"><b>HOSTILE</b> \u202eevil";
    lines.out(hostile);
    filterText.accept("RECENT-|HOSTILE|dropped");
    browser.await(
        "the hostile line arrives",
        30,
        () -> showing("<img src=x onerror=\"window.pwned=1\"><b>HOSTILE</b> \ufffdevil"));
    browser.await(
        "the filter shows the recent lines",
        10,
        () -> showing("RECENT-ERR java.lang.IllegalStateException: boom"));
    assertEquals(
        0L, browser.script("return document.querySelectorAll('#lines img, #lines b').length"));
    assertEquals(null, browser.script("return window.pwned === undefined ? null : 'pwned'"));

    String color = "return getComputedStyle(document.querySelector(arguments[0])).color";
    String errColor =
        (String)
            browser.script(
                "return getComputedStyle([...document.querySelectorAll('#lines .row.err')]"
                    + ".find(r => r.textContent.includes('RECENT-ERR')).children[3]).color");
    assertEquals("rgb(179, 0, 27)", errColor, "ERR lines are red");
    assertFalse(errColor.equals(browser.script(color, "#lines .row:not(.err):not(.lgr) .c-msg")));
    assertEquals(
        "rgb(255, 241, 194)",
        browser.script(
            "return getComputedStyle(document.querySelector('#lines .row.lgr')).backgroundColor"),
        "LGR notices stand out");
  }

  /**
   * Sends recent lines, keeps sending numbered ones while the page signs in from the address's
   * fragment, loads the app's recent logs and goes live, and checks that the token left the address
   * bar and that what {@code download} saves has every numbered line once, in order, between the
   * first recent line and the last live one.
   */
  void joinsRecentAndLiveLinesWithNoGapOrDuplicate(
      ViewerServer server, String app, Callable<List<String>> download) throws Exception {
    AppLines lines = server.lines;
    lines.out("RECENT-OUT first line");
    lines.err("RECENT-ERR java.lang.IllegalStateException: boom\n\tat demo.Main.run(Main.java:42)");
    lines.log("Log message output too high. We've dropped 7 messages.", true, "LGR", "");
    lines.log("RECENT-RTR GET / 200", false, "RTR", "1");
    lines.metric(0, 12.5, 300L << 20, 1L << 30, 80L << 20);
    lines.metric(1, 3.25, 180L << 20, 1L << 30, 80L << 20);
    // Lines keep coming before, while and after the page loads its recent logs.
    AtomicBoolean stop = new AtomicBoolean();
    CompletableFuture<Long> seq =
        CompletableFuture.supplyAsync(
            () -> lines.pace("SEQ", 200, Duration.ofSeconds(60), stop::get));
    Thread.sleep(1500);

    browser.open(server.base + "/view/" + app + "#token=" + server.token(app));
    awaitLive();
    assertEquals(server.base + "/view/" + app, browser.url(), "the token left the address bar");
    Thread.sleep(1500);
    stop.set(true);
    long sent = seq.get(10, TimeUnit.SECONDS);
    lines.out("LIVE-OUT last line");
    lines.err("LIVE-ERR failure");
    browser.await("the live lines arrive", 30, () -> showing("LIVE-ERR failure"));

    List<String> saved = download.call();
    List<Long> numbers = new ArrayList<>();
    for (String line : saved) {
      int at = line.indexOf("] OUT SEQ ");
      if (at > 0) {
        numbers.add(Long.parseLong(line.substring(at + "] OUT SEQ ".length())));
      }
    }
    List<Long> expected = new ArrayList<>();
    for (long n = 1; n <= sent; n++) {
      expected.add(n);
    }
    assertEquals(expected, numbers, "every SEQ line once, in order, across the seam");
    assertTrue(saved.get(0).endsWith("[APP/0] OUT RECENT-OUT first line"), saved.get(0));
    assertTrue(saved.get(saved.size() - 1).endsWith("[APP/0] ERR LIVE-ERR failure"));
  }
}
