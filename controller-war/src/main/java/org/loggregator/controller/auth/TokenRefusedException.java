package org.loggregator.controller.auth;

import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;

/** A bearer token that does not authenticate: why, and one sentence for the client. */
public final class TokenRefusedException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Refusal reason;

  public TokenRefusedException(Refusal reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Refusal reason() {
    return reason;
  }

  /** The refusal to answer with. */
  public Decision decision() {
    return Decision.refuse(reason, getMessage());
  }
}
