package org.loggregator.controller.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the viewer ships, read as source: exactly the listed files; a page that loads only its own
 * assets and holds no inline script, style or event handler; scripts that never turn text into HTML
 * or code, and reach nothing outside this server.
 */
class ViewerAssetsTest {
  private static final Path FOLDER = Path.of("src/main/resources/viewer");

  private static String read(String name) throws IOException {
    return Files.readString(FOLDER.resolve(name));
  }

  private static List<String> scripts() {
    return ViewerAssets.ASSETS.keySet().stream().filter(n -> n.endsWith(".js")).toList();
  }

  @Test
  void shouldShipExactlyThePageAndTheListedAssets() throws IOException {
    Set<String> shipped = new TreeSet<>();
    try (Stream<Path> files = Files.list(FOLDER)) {
      files.forEach(f -> shipped.add(f.getFileName().toString()));
    }
    Set<String> listed = new TreeSet<>(ViewerAssets.ASSETS.keySet());
    listed.add(ViewerAssets.PAGE);
    assertEquals(listed, shipped);
  }

  @Test
  void shouldLoadOnlyListedAssetsAndNoInlineScriptStyleOrHandlerFromThePage() throws IOException {
    String page = read(ViewerAssets.PAGE);
    Matcher refs = Pattern.compile("(?:src|href|action)=\"([^\"]*)\"").matcher(page);
    List<String> found = new ArrayList<>();
    while (refs.find()) {
      found.add(refs.group(1));
    }
    assertFalse(found.isEmpty());
    for (String ref : found) {
      boolean asset =
          ref.startsWith("assets/")
              && ViewerAssets.ASSETS.containsKey(ref.substring("assets/".length()));
      assertTrue(asset || ref.equals("../set-cookie") || ref.equals("./"), ref);
    }
    assertFalse(Pattern.compile("<script[^>]*>[^<]").matcher(page).find(), "inline script");
    assertFalse(page.contains("<style"), "inline style element");
    assertFalse(Pattern.compile("\\sstyle=").matcher(page).find(), "style attribute");
    assertFalse(Pattern.compile("\\son[a-z]+=", Pattern.CASE_INSENSITIVE).matcher(page).find());
    assertFalse(page.contains("javascript:"));
  }

  @Test
  void shouldNeverTurnTextIntoHtmlOrCodeInAnyScript() throws IOException {
    List<String> forbidden =
        List.of(
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "createContextualFragment",
            "DOMParser",
            "srcdoc",
            "eval(",
            "Function(",
            "setAttribute('on",
            "setAttribute(\"on",
            "import(");
    for (String script : scripts()) {
      String source = read(script);
      for (String word : forbidden) {
        assertFalse(source.contains(word), script + " uses " + word);
      }
      assertFalse(
          Pattern.compile("set(?:Timeout|Interval)\\(\\s*['\"`]").matcher(source).find(),
          script + " passes a string to a timer");
    }
  }

  @Test
  void shouldReachNothingButThisServerAndImportOnlyListedScripts() throws IOException {
    for (String script : scripts()) {
      String source = read(script);
      assertFalse(Pattern.compile("(?i)(?:https?|wss?):/").matcher(source).find(), script);
      assertFalse(source.contains("'//") || source.contains("\"//"), script);
      Matcher imports = Pattern.compile("from '\\./([^']+)'").matcher(source);
      while (imports.find()) {
        assertTrue(ViewerAssets.ASSETS.containsKey(imports.group(1)), script + ": " + imports);
      }
    }
  }

  @Test
  void shouldLoadEveryListedAssetFromTheClassPath() {
    for (String name : ViewerAssets.ASSETS.keySet()) {
      assertTrue(ViewerAssets.asset(name).bytes().length > 0, name);
    }
    assertTrue(ViewerAssets.page().bytes().length > 0);
  }
}
