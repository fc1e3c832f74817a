package org.loggregator.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The text of {@code logs --help} and {@code logs --version}. */
final class Help {
  private Help() {}

  static final String TEXT =
      """
      logs: read an app's logs from a Loggregator traffic controller.

      Usage:
        logs APP [--recent] [--format seed|modern|json] [--endpoint URL] [--token TOKEN]
                 [--config FILE]
        logs token (--app ID ... | --firehose) [--admin] [--ttl 24h] [--key FILE]
        logs keygen [--out DIR] [--force]
        logs help | --help | -h
        logs --version

      Commands:
        logs APP          tail the app's logs: prints "Connected, tailing...", then each log
                          line as it comes; reconnects with backoff (1 s doubling to 30 s) when
                          the connection drops, and says so on stderr. Ctrl-C ends it.
        logs APP --recent print the app's recent logs, oldest first, then exit.
        logs token        mint a development token (RS256 JWT) and print it.
        logs keygen       write a development key pair: token-private.pem, token-public.pem.

      Options of logs APP:
        --endpoint URL    the traffic controller (default http://127.0.0.1:8080; https:// for
                          TLS; WebSockets use ws:// or wss:// accordingly)
        --token TOKEN     the bearer token, with or without "bearer "
        --format FORMAT   seed (default): Oct 3 15:09:26 APP App/0 STDERR line
                          modern:         2013-10-03T15:09:26.00-0700 [APP/0] OUT line
                          json:           one object per line: timestamp (UTC, RFC 3339 with
                                          nanoseconds), app_id, source_type, source_instance,
                                          message_type (OUT/ERR), message; stdout holds only
                                          JSON ("Connected, tailing..." goes to stderr)
        --config FILE     properties file with endpoint=, token=, format= (default
                          ~/.config/logs/config.properties when it exists)
        --recent          print the recent logs and exit instead of tailing
        Times are in the local time zone (TZ); a message of several lines prints one line each.

      Where settings come from, first found wins: the flags; the environment LOGS_ENDPOINT,
      LOGS_TOKEN, LOGS_FORMAT; the config file; the defaults.

      Options of logs token:
        --app ID          an app id the token may read (repeat for more)
        --firehose        add the scope doppler.firehose (read every app's envelopes)
        --admin           add the scope loggregator.admin
        --ttl DURATION    lifetime, such as 30m, 24h or 7d (default 24h)
        --key FILE        PEM PKCS#8 RSA private key (default $LOGS_TOKEN_KEY, else
                          target/dev-keys/token-private.pem when it exists)
        --issuer ISS      the iss claim (default loggregator)
        --audience AUD    the aud claim (default loggregator; repeat for more)
        --subject SUB     the sub and upn claims (default $USER, else developer)
        Example: export LOGS_TOKEN=$(logs token --app my-app)

      Options of logs keygen:
        --out DIR         where to write the pair (default: the directory of $LOGS_TOKEN_KEY,
                          else target/dev-keys)
        --force           replace an existing pair (tokens signed with the old key stop working)

      Exit codes:
        0    done
        1    unexpected error
        2    bad flag, argument or option value
        3    the token was refused (HTTP 401)
        4    the token may not read that app (HTTP 403)
        5    the app or the endpoint is unknown (HTTP 404)
        6    the endpoint cannot be reached
        130  interrupted with Ctrl-C
      """;

  /** {@code logs VERSION}, the version from the build. */
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
}
