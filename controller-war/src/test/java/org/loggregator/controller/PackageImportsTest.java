package org.loggregator.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The controller's packages import one another one way: the endpoints reach dopplers through the
 * proxy package, which knows nothing of endpoints or start-up, and start-up hands the endpoints
 * what they use through CDI, so neither imports the other.
 */
class PackageImportsTest {
  private static final Path SOURCES = Path.of("src/main/java/org/loggregator/controller");
  private static final Pattern IMPORT =
      Pattern.compile("^import org\\.loggregator\\.controller\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void shouldImportEachOtherPackageOneWayOnly() throws IOException {
    assertEquals(Set.of("auth", "proxy"), importedBy("web"));
    assertEquals(Set.of("auth", "config", "inbound", "metrics", "proxy"), importedBy("lifecycle"));
    assertEquals(Set.of(), importedBy("proxy"));
    assertEquals(Set.of(), importedBy("inbound"));
    assertEquals(Set.of(), importedBy("config"));
    assertEquals(Set.of("config"), importedBy("auth"));
  }

  /** The other controller packages that the sources of {@code pkg} import. */
  private static Set<String> importedBy(String pkg) throws IOException {
    Set<String> imported = new TreeSet<>();
    List<Path> files;
    try (Stream<Path> listed = Files.list(SOURCES.resolve(pkg))) {
      files = listed.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path file : files) {
      Matcher matcher = IMPORT.matcher(Files.readString(file));
      while (matcher.find()) {
        imported.add(matcher.group(1));
      }
    }
    imported.remove(pkg);
    return imported;
  }
}
