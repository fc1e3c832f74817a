package org.loggregator.doppler.drain;

/**
 * A drain binding that was refused: an invalid URL, or one over the app's or the doppler's cap. The
 * message is one sentence naming the first URL refused (redacted) and why.
 */
public final class RefusedBindingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final DrainCounters.Refusal reason;

  public RefusedBindingException(DrainCounters.Refusal reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why, as counted in {@code drain.refusedBindings}. */
  public DrainCounters.Refusal reason() {
    return reason;
  }
}
