package org.loggregator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/**
 * What the generated help of every command shares: the exit codes, where settings come from, and
 * the version from the build.
 */
final class Help {
  private Help() {}

  /** The footer of {@code logs --help}: where settings come from, and the exit codes. */
  static final String FOOTER =
      """

      Settings, first found wins: the flags; the environment (LOGS_ENDPOINT,
      LOGS_TOKEN, LOGS_FORMAT; NO_COLOR turns colour off for --color auto); the
      config file $XDG_CONFIG_HOME/loggregator/config (by default
      ~/.config/loggregator/config), key = value lines of endpoint, token,
      token_file, format and color; the defaults.

      Examples:
        logs my-app                          tail the app's logs until Ctrl-C
        logs my-app --recent --follow        the recent logs, then live, none twice
        logs my-app -n 50 --source APP --type err
        logs my-app --since 10m --format json
        export LOGS_TOKEN=$(logs token --app my-app)

      Exit codes:
        0    done
        1    unexpected error
        2    bad flag, argument or option value
        3    the token was refused (HTTP 401)
        4    the token may not read that app (HTTP 403)
        5    the app or the endpoint is unknown (HTTP 404)
        6    the endpoint cannot be reached
        130  interrupted with Ctrl-C""";

  /** {@code logs --version}: the version from the build. */
  static String version() {
    Properties properties = new Properties();
    try (InputStream in = Help.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      // reported as unknown below
    }
    return "logs " + properties.getProperty("version", "(unknown version)");
  }

  /** The version for picocli's {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {version()};
    }
  }
}
