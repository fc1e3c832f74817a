package org.loggregator.doppler;

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
 * The doppler's endpoints and its start-up do not import each other: start-up hands the endpoints
 * what they use through CDI.
 */
class PackageImportsTest {
  private static final Path SOURCES = Path.of("src/main/java/org/loggregator/doppler");
  private static final Pattern IMPORT =
      Pattern.compile("^import org\\.loggregator\\.doppler\\.([a-z]+)\\.", Pattern.MULTILINE);

  @Test
  void shouldKeepEndpointsAndStartUpFromImportingEachOther() throws IOException {
    assertEquals(Set.of("drain", "routing"), importedBy("web"));
    assertEquals(
        Set.of("auth", "config", "drain", "metrics", "routing", "transit"),
        importedBy("lifecycle"));
  }

  /** The other doppler packages that the sources of {@code pkg} import. */
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
