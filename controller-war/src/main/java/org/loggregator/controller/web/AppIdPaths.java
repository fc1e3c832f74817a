package org.loggregator.controller.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The public paths that name an app or a firehose subscription, and what a valid id is. */
final class AppIdPaths {
  static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern APP_PATH =
      Pattern.compile("/apps/([^/]+)/(stream|recentlogs|containermetrics)");
  private static final Pattern FIREHOSE_PATH = Pattern.compile("/firehose/([^/]+)");

  private AppIdPaths() {}

  /** The app id of {@code /apps/ID/…}, or null when the path is not one. */
  static String appOf(String path) {
    Matcher m = APP_PATH.matcher(path);
    return m.matches() ? m.group(1) : null;
  }

  /** The subscription id of {@code /firehose/ID}, or null when the path is not one. */
  static String firehoseOf(String path) {
    Matcher m = FIREHOSE_PATH.matcher(path);
    return m.matches() ? m.group(1) : null;
  }

  static boolean isLegacy(String path) {
    return path.equals("/tail/")
        || path.equals("/tail")
        || path.equals("/dump/")
        || path.equals("/dump");
  }

  static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
