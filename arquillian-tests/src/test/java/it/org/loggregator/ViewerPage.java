package it.org.loggregator;

import java.util.List;
import java.util.function.BooleanSupplier;

/** What the viewer's page shows, read the same way in every browser a test drives. */
final class ViewerPage {
  /** A browser that runs scripts in the page and waits for conditions. */
  interface Browser {
    Object script(String script, Object... args);

    /** Waits until the condition holds, at most {@code seconds}; its failure names {@code what}. */
    void await(String what, int seconds, BooleanSupplier condition);
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
}
