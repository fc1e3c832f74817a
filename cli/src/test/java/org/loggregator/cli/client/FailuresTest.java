package org.loggregator.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;

class FailuresTest {
  private final Failures failures =
      new Failures(LogEndpoint.parse("http://logs.example.com:8080"), "app", true);

  private static Throwable connectFailure(Throwable cause) {
    ConnectException connect = new ConnectException();
    connect.initCause(cause);
    return new ExecutionException(connect);
  }

  @Test
  void shouldSayUnknownHostWhenTheJdkWrapsAnUnresolvedAddress() {
    CommandException e = failures.io(connectFailure(new UnresolvedAddressException()));

    assertEquals(ExitCode.UNREACHABLE, e.exitCode());
    assertEquals(
        "Cannot reach the log endpoint http://logs.example.com:8080: unknown host. Check"
            + " --endpoint or LOGS_ENDPOINT.",
        e.getMessage());
  }

  @Test
  void shouldSayConnectionRefusedWhenTheConnectExceptionHasNoMessage() {
    assertEquals("connection refused", Failures.unreachableReason(connectFailure(null)));
  }

  @Test
  void shouldSayTimedOutWhenTheConnectTimesOut() {
    assertEquals(
        "connection timed out",
        Failures.unreachableReason(new HttpConnectTimeoutException("HTTP connect timed out")));
  }

  @Test
  void shouldCallOtherFailuresUnexpectedWhenTheServerWasReached() {
    CommandException e = failures.io(new IOException("HTTP/1.1 header parser received no bytes"));

    assertNull(Failures.unreachableReason(new IOException("x")));
    assertEquals(ExitCode.UNEXPECTED, e.exitCode());
    assertEquals(
        "The log endpoint http://logs.example.com:8080 failed: HTTP/1.1 header parser received no"
            + " bytes.",
        e.getMessage());
  }
}
