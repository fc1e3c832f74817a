package org.loggregator.doppler.drain.address;

/**
 * The policy's answer for an address it refuses: the reason and the range that matched (a CIDR, or
 * {@code port N} for the server's own socket). It never holds the address itself, so that a notice
 * built from it does not tell the app what a name resolved to.
 */
public record Denial(DenialReason reason, String range) {

  /** As the notice says it: {@code private address (10.0.0.0/8)}. */
  public String describe() {
    return reason.description() + " (" + range + ")";
  }
}
