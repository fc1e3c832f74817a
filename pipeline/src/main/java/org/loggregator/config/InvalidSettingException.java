package org.loggregator.config;

/**
 * A configuration value that cannot be used. The message is one sentence that names the key, the
 * value found and what a valid value looks like, so an operator can fix it without reading code.
 */
public final class InvalidSettingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  public InvalidSettingException(String key, String message) {
    super(message);
    this.key = key;
  }

  /** The configuration key whose value was refused. */
  public String key() {
    return key;
  }
}
