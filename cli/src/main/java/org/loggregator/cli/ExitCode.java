package org.loggregator.cli;

/** The exit status of the {@code logs} command; the numbers are documented and stable. */
public enum ExitCode {
  /** Done, or the tail ended because the user asked. */
  OK(0),
  /** Something the command did not expect (a bug, a server answering nonsense). */
  UNEXPECTED(1),
  /** A bad flag, a missing argument or an unusable option value. */
  USAGE(2),
  /** The endpoint refused the token (HTTP 401). */
  UNAUTHORIZED(3),
  /** The token may not read that app (HTTP 403). */
  FORBIDDEN(4),
  /** The app or the endpoint path is unknown (HTTP 404). */
  NOT_FOUND(5),
  /** The endpoint cannot be reached (refused, unknown host, timed out). */
  UNREACHABLE(6),
  /** Interrupted with Ctrl-C (SIGINT), after a clean close. */
  INTERRUPTED(130);

  private final int status;

  ExitCode(int status) {
    this.status = status;
  }

  /** The process exit status. */
  public int status() {
    return status;
  }
}
