package it.org.loggregator;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver (both installed by
 * bin/install-test-deps; nothing is downloaded). A fresh profile each time, no background network,
 * downloads into a folder of the test's.
 */
final class HeadlessChromium implements AutoCloseable, ViewerPage.Browser {
  static final Path CHROMIUM = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));

  final ChromeDriver driver;
  final Path downloads;
  private final Path profile;

  HeadlessChromium(int width, int height) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException(
          "ViewerIT needs Debian's chromium and chromium-driver ("
              + CHROMIUM
              + ", "
              + DRIVER
              + "): run bin/install-test-deps as root, or apt-get install chromium chromium-driver.");
    }
    try {
      profile = Files.createTempDirectory("viewer-it-profile");
      downloads = Files.createTempDirectory("viewer-it-downloads");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height);
    if ("root".equals(System.getProperty("user.name"))) {
      options.addArguments("--no-sandbox"); // Chromium's sandbox refuses to run as root
    }
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory",
            downloads.toString(),
            "download.prompt_for_download",
            false));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
  }

  @Override
  public void open(String url) {
    driver.get(url);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  @Override
  public String url() {
    return driver.getCurrentUrl();
  }

  @Override
  public Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  Object asyncScript(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeAsyncScript(script, args);
  }

  /** Waits until the condition holds, at most {@code seconds}; its failure names {@code what}. */
  @Override
  public void await(String what, int seconds, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, Duration.ofSeconds(seconds))
        .withMessage(what)
        .pollingEvery(Duration.ofMillis(100))
        .until(d -> condition.getAsBoolean());
  }

  /** What the page wrote to the console since last asked, as "LEVEL message". */
  List<String> console() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .map((LogEntry e) -> e.getLevel() + " " + e.getMessage())
        .toList();
  }

  /** A PNG of the window. */
  void screenshot(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
      Files.copy(shot.toPath(), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Quits the browser and removes its profile and downloads. */
  @Override
  public void close() {
    driver.quit();
    for (Path dir : List.of(profile, downloads)) {
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      } catch (IOException | UncheckedIOException e) {
        // a file Chromium still held: the system's temporary folder is cleaned in time anyway
      }
    }
  }
}
