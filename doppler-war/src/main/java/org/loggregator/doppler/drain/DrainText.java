package org.loggregator.doppler.drain;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.loggregator.doppler.drain.address.DeniedAddressException;

/**
 * What a drain says about its failures: the notices for the app's stream, which tell only that a
 * drain could not deliver (or the class and range of a denied address), and the lines for the
 * operator's log, which give the reason. Every URL in them is redacted. Stateless.
 */
final class DrainText {
  private DrainText() {}

  /** The app's notice of a denied connection: the class and range, never the address. */
  static String deniedNotice(DrainUrl url, DeniedAddressException denied) {
    return "drain " + url.redacted() + " denied: " + denied.denial().describe();
  }

  /** The app's notice of any other failure: that it could not deliver, never why. */
  static String undeliveredNotice(DrainUrl url, Duration wait) {
    return "Syslog drain "
        + url.redacted()
        + ": could not deliver. Backing off for "
        + format(wait)
        + ".";
  }

  /** The operator's log line of a denied connection. */
  static String deniedLine(
      String appId, DrainUrl url, DeniedAddressException denied, Duration wait) {
    return "Drain of app "
        + appId
        + " "
        + url.redacted()
        + " not connected: "
        + denied.getMessage()
        + " Trying again in "
        + format(wait)
        + ".";
  }

  /** The operator's log line of any other failure, with its {@link #reason}. */
  static String failedLine(String appId, DrainUrl url, Throwable e, Duration wait) {
    return "Drain of app "
        + appId
        + " "
        + url.redacted()
        + " failed, backing off for "
        + format(wait)
        + ": "
        + reason(url, e);
  }

  /**
   * One sentence saying what went wrong, for the operator's log only, without the URL's
   * credentials, path or query.
   */
  static String reason(DrainUrl url, Throwable e) {
    String text;
    Throwable certificateProblem = causeOf(e, CertificateException.class);
    if (certificateProblem != null) {
      text = "The drain's certificate is not accepted: " + messageOf(rootCause(certificateProblem));
    } else if (e instanceof SSLException) {
      text = "TLS failed: " + messageOf(e);
    } else if (e instanceof UnknownHostException) {
      text = "Unknown host " + url.host();
    } else if (e instanceof ConnectException) {
      text = "Connection refused";
    } else if (e instanceof SocketTimeoutException) {
      text = "Timed out";
    } else {
      text = messageOf(e);
    }
    text = text.replace(url.text(), url.redacted());
    text = text.replace(url.requestUri().toString(), url.redacted());
    return text.endsWith(".") ? text : text + ".";
  }

  private static String messageOf(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message.trim();
  }

  private static Throwable rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static Throwable causeOf(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return c;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** Like {@code 1.5s} or {@code 250ms}. */
  static String format(Duration d) {
    long millis = d.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    long tenths = (millis + 50) / 100;
    return tenths % 10 == 0 ? tenths / 10 + "s" : tenths / 10 + "." + tenths % 10 + "s";
  }
}
