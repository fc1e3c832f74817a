package it.org.loggregator;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.json.Json;

/**
 * Debian's Firefox ESR, headless, driven through its own WebDriver BiDi agent: Debian ships no
 * geckodriver, and nothing is downloaded. Firefox starts with a fresh profile and {@code
 * --remote-debugging-port=0}, prints the loopback address it picked, and this class speaks BiDi to
 * it (JSON commands and events over a WebSocket, java.net.http): navigate, run scripts in the page,
 * type and click as a user does (trusted events), screenshots, cookies, and the page's console.
 */
final class HeadlessFirefox implements AutoCloseable, ViewerPage.Browser {
  static final Path FIREFOX = Path.of(System.getProperty("it.firefox", "/usr/bin/firefox-esr"));

  // WebDriver's codes (Unicode private use characters) for keys that are not text.
  static final String BACKSPACE = "\uE003";
  static final String TAB = "\uE004";
  static final String ENTER = "\uE007";
  static final String SHIFT = "\uE008";
  static final String CONTROL = "\uE009";
  static final String HOME = "\uE011";

  private static final Duration COMMAND = Duration.ofSeconds(60);
  private static final Pattern LISTENING =
      Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
  private static final Json JSON = new Json();

  /** A DOM element a script returned, by BiDi's reference to it. */
  record Node(String sharedId) {}

  final Path downloads;
  private final Path profile;
  private Process process;
  private WebSocket socket;
  private String context;
  private final Map<Long, CompletableFuture<Map<String, Object>>> pending =
      new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Queue<String> console = new ConcurrentLinkedQueue<>();

  /** Starts Firefox with a viewport of width × height CSS pixels; fails at once without it. */
  HeadlessFirefox(int width, int height) {
    if (!Files.isExecutable(FIREFOX)) {
      throw new IllegalStateException(
          "FirefoxViewerIT needs Debian's Firefox ESR at "
              + FIREFOX
              + ": run bin/install-test-deps as root, or apt-get install firefox-esr.");
    }
    try {
      downloads = Files.createTempDirectory("firefox-it-downloads");
      profile = Files.createTempDirectory("firefox-it-profile");
      String dir = "user_pref(\"browser.download.dir\", " + JSON.toJson(downloads.toString());
      String preferences;
      try (var in = HeadlessFirefox.class.getResourceAsStream("/firefox-user.js")) {
        preferences = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
      Files.writeString(profile.resolve("user.js"), preferences + dir + ");\n");
      // Port 0: Firefox takes a free loopback port and prints its address on stderr.
      Path log = profile.resolve("stderr.txt");
      ProcessBuilder start =
          new ProcessBuilder(FIREFOX.toString(), "--headless", "--no-remote", "--profile")
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(log.toFile());
      start.command().addAll(List.of(profile.toString(), "--remote-debugging-port=0"));
      start.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
      process = start.start();
      String address = null;
      for (long end = System.nanoTime() + SECONDS.toNanos(60); address == null; Thread.sleep(100)) {
        Matcher listening = LISTENING.matcher(Files.readString(log));
        address = listening.find() ? listening.group(1) : null;
        if (address == null && (!process.isAlive() || System.nanoTime() > end)) {
          throw new IllegalStateException("no BiDi address on stderr: " + Files.readString(log));
        }
      }
      socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(URI.create(address + "/session"), new Listener())
              .get(30, SECONDS);
      command("session.new", obj("capabilities", obj()));
      command("session.subscribe", obj("events", List.of("log.entryAdded")));
      List<?> tree = (List<?>) command("browsingContext.getTree", obj()).get("contexts");
      context = (String) ((Map<?, ?>) tree.get(0)).get("context");
      Map<String, Object> viewport = obj("width", width, "height", height);
      command("browsingContext.setViewport", obj("context", context, "viewport", viewport));
    } catch (IOException | ExecutionException | TimeoutException | RuntimeException e) {
      close();
      throw new IllegalStateException("Firefox did not start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new IllegalStateException(e);
    }
  }

  /** A JSON object: keys and values in turn. */
  private static Map<String, Object> obj(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Receives whole messages: answers complete their command, log entries go to the console. */
  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence part, boolean last) {
      text.append(part);
      if (last) {
        Map<String, Object> message = JSON.toType(text.toString(), Json.MAP_TYPE);
        text.setLength(0);
        if (message.get("id") instanceof Number id) {
          CompletableFuture<Map<String, Object>> answer = pending.get(id.longValue());
          if (answer != null) {
            answer.complete(message);
          }
        } else if ("log.entryAdded".equals(message.get("method"))) {
          Map<?, ?> entry = (Map<?, ?>) message.get("params");
          console.add(String.valueOf(entry.get("level")).toUpperCase() + " " + entry.get("text"));
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
      onError(ws, new IOException("closed " + code));
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      pending.values().forEach(answer -> answer.completeExceptionally(error));
    }
  }

  /** Sends a BiDi command and waits at most {@code timeout} for its result. */
  private synchronized Map<String, Object> command(
      String method, Map<String, Object> params, Duration timeout) {
    long id = ids.incrementAndGet();
    CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
    pending.put(id, answer);
    try {
      String message = JSON.toJson(obj("id", id, "method", method, "params", params));
      socket.sendText(message, true).get(timeout.toMillis(), MILLISECONDS);
      Map<String, Object> reply = answer.get(timeout.toMillis(), MILLISECONDS);
      if (!"success".equals(reply.get("type"))) {
        throw new IllegalStateException(
            method + ": " + reply.get("error") + ": " + reply.get("message"));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> result = (Map<String, Object>) reply.get("result");
      return result;
    } catch (TimeoutException | ExecutionException e) {
      throw new IllegalStateException(method + " (waited at most " + timeout + "): " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + ": interrupted", e);
    } finally {
      pending.remove(id);
    }
  }

  private Map<String, Object> command(String method, Map<String, Object> params) {
    return command(method, params, COMMAND);
  }

  /** Opens url and waits until the page has loaded. */
  @Override
  public void open(String url) {
    command("browsingContext.navigate", obj("context", context, "url", url, "wait", "complete"));
  }

  /** The address in the address bar. */
  @Override
  public String url() {
    return (String) script("return location.href");
  }

  /**
   * Runs a function body in the page, as Selenium's executeScript does: {@code arguments[i]} are
   * the args (strings, numbers, booleans), {@code return} gives the result (a promise is awaited):
   * a String, Long or Double, Boolean, null, List, Map or {@link Node}.
   */
  @Override
  public Object script(String body, Object... args) {
    List<Map<String, Object>> values = new ArrayList<>();
    for (Object a : args) {
      String type = a instanceof String ? "string" : a instanceof Boolean ? "boolean" : "number";
      values.add(obj("type", type, "value", a));
    }
    String function = "function() {\n" + body + "\n}";
    Map<String, Object> call = obj("functionDeclaration", function, "arguments", values);
    call.putAll(obj("target", obj("context", context), "awaitPromise", true));
    Map<String, Object> result = command("script.callFunction", call);
    if (!"success".equals(result.get("type"))) {
      Map<?, ?> details = (Map<?, ?>) result.get("exceptionDetails");
      throw new IllegalStateException("script failed: " + details.get("text") + " in: " + body);
    }
    return value((Map<?, ?>) result.get("result"));
  }

  /** A BiDi remote value as Java. */
  private static Object value(Map<?, ?> remote) {
    Object v = remote.get("value");
    return switch (String.valueOf(remote.get("type"))) {
      case "undefined", "null" -> null;
      case "string", "boolean" -> v;
      case "number" -> v instanceof String special ? (Object) Double.valueOf(special) : v;
      case "array" -> ((List<?>) v).stream().map(e -> value((Map<?, ?>) e)).toList();
      case "object" -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (Object pair : (List<?>) v) { // [key, value], the key a string
          map.put(((List<?>) pair).get(0), value((Map<?, ?>) ((List<?>) pair).get(1)));
        }
        yield map;
      }
      case "node" -> new Node((String) remote.get("sharedId"));
      default -> remote.get("type"); // a window, a function, a bigint…: only its kind
    };
  }

  /** Clicks the middle of the first element css selects, scrolled into view, with the mouse. */
  void click(String css) {
    Node node =
        (Node)
            script(
                "const e = document.querySelector(arguments[0]);"
                    + " if (!e) throw new Error('no element ' + arguments[0]);"
                    + " e.scrollIntoView({block: 'nearest'}); return e;",
                css);
    Map<String, Object> origin =
        obj("type", "element", "element", obj("sharedId", node.sharedId()));
    List<Map<String, Object>> steps =
        List.of(
            obj("type", "pointerMove", "x", 0, "y", 0, "origin", origin),
            obj("type", "pointerDown", "button", 0),
            obj("type", "pointerUp", "button", 0));
    Map<String, Object> mouse = obj("pointerType", "mouse");
    actions(obj("type", "pointer", "id", "mouse", "parameters", mouse, "actions", steps));
  }

  /** Types text into the focused element, key by key; "\n" is Enter, and see BACKSPACE etc. */
  void type(String text) {
    List<Map<String, Object>> steps = new ArrayList<>();
    text.codePoints()
        .mapToObj(c -> c == '\n' ? ENTER : Character.toString(c))
        .forEach(k -> steps.addAll(List.of(key("keyDown", k), key("keyUp", k))));
    actions(obj("type", "key", "id", "keyboard", "actions", steps));
  }

  /** Presses keys together (a chord such as CONTROL, "a"), releasing them in reverse order. */
  void press(String... keys) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (String k : keys) {
      steps.add(key("keyDown", k));
    }
    for (int i = keys.length - 1; i >= 0; i--) {
      steps.add(key("keyUp", keys[i]));
    }
    actions(obj("type", "key", "id", "keyboard", "actions", steps));
  }

  private static Map<String, Object> key(String upOrDown, String key) {
    return obj("type", upOrDown, "value", key);
  }

  /** Performs one input source's actions: real, trusted events, as a user's. */
  private void actions(Map<String, Object> source) {
    command("input.performActions", obj("context", context, "actions", List.of(source)));
  }

  /** Deletes every cookie of the browser. */
  void deleteCookies() {
    command("storage.deleteCookies", obj());
  }

  /** Waits until the condition holds, at most {@code seconds}; its failure names {@code what}. */
  @Override
  public void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + SECONDS.toNanos(seconds);
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e; // a page between two loads, an element not there yet: try again
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + seconds + " s for: " + what, last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  /** What the page wrote to the console since last asked, as "LEVEL message" (ERROR, WARN…). */
  List<String> console() {
    List<String> entries = new ArrayList<>();
    for (String e; (e = console.poll()) != null; ) {
      entries.add(e);
    }
    return entries;
  }

  /** A PNG of the viewport. */
  void screenshot(Path file) {
    Map<String, Object> shot =
        command("browsingContext.captureScreenshot", obj("context", context));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Closes Firefox (killing it, by its own pid, if it does not go) and removes its folders. */
  @Override
  public void close() {
    // Firefox's content processes, while they are still its children.
    List<ProcessHandle> children = process == null ? List.of() : process.descendants().toList();
    if (socket != null) {
      try {
        command("browser.close", obj(), Duration.ofSeconds(10));
      } catch (RuntimeException e) {
        // gone already, or stuck: killed below
      }
      socket.abort();
    }
    try {
      if (process != null && !process.waitFor(20, SECONDS)) {
        children.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Path dir : new Path[] {profile, downloads}) {
      try (Stream<Path> files = dir == null ? Stream.empty() : Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      } catch (IOException | UncheckedIOException e) {
        // a file Firefox still held: the system's temporary folder is cleaned in time anyway
      }
    }
  }
}
