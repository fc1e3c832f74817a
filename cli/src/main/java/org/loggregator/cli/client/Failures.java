package org.loggregator.cli.client;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLException;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;

/**
 * Turns what went wrong with one request to the endpoint into the sentence and exit code the user
 * sees; immutable.
 */
final class Failures {
  private final LogEndpoint endpoint;
  private final String appId;
  private final boolean tokenGiven;

  Failures(LogEndpoint endpoint, String appId, boolean tokenGiven) {
    this.endpoint = endpoint;
    this.appId = appId;
    this.tokenGiven = tokenGiven;
  }

  /** The failure for an HTTP status other than success. */
  CommandException status(int status, String what) {
    return switch (status) {
      case 401 ->
          tokenGiven
              ? new CommandException(
                  ExitCode.UNAUTHORIZED,
                  "The token was refused (401): log in again or mint a new one with `logs token"
                      + " --app "
                      + appId
                      + "`.")
              : new CommandException(
                  ExitCode.UNAUTHORIZED,
                  "No token was given and the endpoint refused the request (401): pass --token,"
                      + " set LOGS_TOKEN, or mint one with `logs token --app "
                      + appId
                      + "`.");
      case 403 ->
          new CommandException(
              ExitCode.FORBIDDEN,
              "The token may not read the logs of app "
                  + appId
                  + " (403): mint one that names it with `logs token --app "
                  + appId
                  + "`.");
      case 404 ->
          new CommandException(
              ExitCode.NOT_FOUND,
              "Not found (404): the app "
                  + appId
                  + " or the endpoint "
                  + endpoint
                  + " is unknown; check the app id and --endpoint.");
      default ->
          new CommandException(
              ExitCode.UNEXPECTED,
              "The log endpoint "
                  + endpoint
                  + " answered HTTP "
                  + status
                  + " to "
                  + what
                  + "; try again later or check the server's log.");
    };
  }

  /** The failure for an exception thrown while connecting or reading. */
  CommandException io(Throwable thrown) {
    Throwable e = unwrap(thrown);
    String reason = unreachableReason(e);
    if (reason != null) {
      return new CommandException(
          ExitCode.UNREACHABLE,
          "Cannot reach the log endpoint "
              + endpoint
              + ": "
              + reason
              + ". Check --endpoint or LOGS_ENDPOINT.");
    }
    if (e instanceof HttpTimeoutException) {
      return new CommandException(
          ExitCode.UNEXPECTED,
          "The log endpoint " + endpoint + " did not answer in time; try again later.");
    }
    return new CommandException(
        ExitCode.UNEXPECTED, "The log endpoint " + endpoint + " failed: " + describe(e) + ".");
  }

  /** Why the endpoint cannot be reached, or null when the failure is something else. */
  static String unreachableReason(Throwable e) {
    String reason = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
        return "unknown host"; // the JDK wraps it in a ConnectException: look at every cause
      }
      if (reason != null) {
        continue;
      }
      if (t instanceof HttpConnectTimeoutException) {
        reason = "connection timed out";
      } else if (t instanceof NoRouteToHostException) {
        reason = "no route to host";
      } else if (t instanceof SSLException) {
        reason = "TLS handshake failed (" + describe(t) + ")";
      } else if (t instanceof ConnectException) {
        String message = t.getMessage();
        reason =
            message == null || message.isBlank() || message.contains("refused")
                ? "connection refused"
                : message.toLowerCase(Locale.ROOT);
      }
    }
    return reason;
  }

  /** The exception under the executor's and completable future's wrappers. */
  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof ExecutionException || t instanceof CompletionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return e instanceof IOException ? message : e.getClass().getSimpleName() + ": " + message;
  }
}
