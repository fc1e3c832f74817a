package org.loggregator.doppler.drain;

/**
 * A drain URL that cannot be used. The message is one sentence naming what to fix, and never holds
 * the URL's credentials or query string.
 */
public final class InvalidDrainUrlException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public InvalidDrainUrlException(String message) {
    super(message);
  }
}
