package org.loggregator.controller.auth;

/** A bearer token that does not authenticate; the message is one sentence for the client. */
public final class TokenRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  public TokenRefusedException(String message) {
    super(message);
  }
}
