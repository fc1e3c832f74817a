package org.loggregator.controller.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The files of the log viewer page, shipped in the WAR under {@code viewer/} on the class path: the
 * page itself and the assets it loads, each with its media type and an entity tag. Only the files
 * named here are ever served; each is read once. Thread-safe.
 */
final class ViewerAssets {
  /** The page, served at {@code /view/} and {@code /view/{appId}}. */
  static final String PAGE = "index.html";

  /** The assets the page loads, by name, with their media types, served at /view/assets/NAME. */
  static final Map<String, String> ASSETS = assets();

  /** One file: its media type, bytes and entity tag. */
  record Asset(String type, byte[] bytes, String etag) {}

  private static final String FOLDER = "viewer/";
  private static final Map<String, Asset> LOADED = new ConcurrentHashMap<>();

  private ViewerAssets() {}

  private static Map<String, String> assets() {
    Map<String, String> types = new LinkedHashMap<>();
    types.put("viewer.css", "text/css;charset=UTF-8");
    types.put("icon.svg", "image/svg+xml");
    for (String script :
        List.of(
            "main.js",
            "envelope.js",
            "seam.js",
            "lines.js",
            "list.js",
            "stream.js",
            "signin.js",
            "panels.js")) {
      types.put(script, "text/javascript;charset=UTF-8");
    }
    return Collections.unmodifiableMap(types);
  }

  /** The page. */
  static Asset page() {
    return load(PAGE, "text/html;charset=UTF-8");
  }

  /** The asset of that name, or null when the page has no such asset. */
  static Asset asset(String name) {
    String type = name == null ? null : ASSETS.get(name);
    return type == null ? null : load(name, type);
  }

  private static Asset load(String name, String type) {
    return LOADED.computeIfAbsent(
        name,
        n -> {
          try (InputStream in =
              ViewerAssets.class.getClassLoader().getResourceAsStream(FOLDER + n)) {
            if (in == null) {
              throw new IllegalStateException("The viewer file " + n + " is missing from the WAR");
            }
            byte[] bytes = in.readAllBytes();
            return new Asset(type, bytes, etag(bytes));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  private static String etag(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
