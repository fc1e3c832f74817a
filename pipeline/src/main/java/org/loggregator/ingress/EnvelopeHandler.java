package org.loggregator.ingress;

import org.loggregator.protocol.RoutingFields;

/**
 * Receives each verified envelope from a {@link UdpEnvelopeListener}, on the receiving thread.
 *
 * <p>Contract: the bytes live in the listener's reused receive buffer and are overwritten by the
 * next datagram, so a handler copies what it keeps; it must never block (no I/O, no waiting on a
 * full queue) because the next datagram waits behind it in the kernel.
 */
@FunctionalInterface
public interface EnvelopeHandler {

  /**
   * @param datagram the receive buffer; the 32-byte signature starts at {@code envelopeOffset - 32}
   * @param envelopeOffset where the envelope starts
   * @param envelopeLength how long the envelope is
   * @param fields its routing fields, read from those bytes
   */
  void onEnvelope(byte[] datagram, int envelopeOffset, int envelopeLength, RoutingFields fields);
}
