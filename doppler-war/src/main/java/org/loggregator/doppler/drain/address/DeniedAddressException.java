package org.loggregator.doppler.drain.address;

import java.io.IOException;

/**
 * Thrown instead of connecting when every address of a drain's host is denied by the {@link
 * AddressPolicy}. Nothing was sent. The message, for the operator's log, names the address; the
 * app's notice uses {@link #denial()} only.
 */
public final class DeniedAddressException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Denial denial;

  public DeniedAddressException(Denial denial, String address) {
    super("Denied " + address + ": " + denial.describe() + ".");
    this.denial = denial;
  }

  /** The first address's denial. */
  public Denial denial() {
    return denial;
  }
}
