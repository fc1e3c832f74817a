package org.loggregator.agent.forward;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeUnit;
import org.loggregator.agent.metrics.AgentCounter;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.TransitTrailer;

/**
 * The agent's one sender: a dedicated thread that takes envelopes from the {@link
 * ManyToOneEnvelopeRing}, signs each in place (HMAC-SHA256 of the envelope bytes, which are never
 * re-encoded) and sends it as one UDP datagram to its destination, over one unconnected {@link
 * DatagramChannel}. Destinations are those of the routes' snapshot of the moment of sending ({@link
 * DopplerRoutes.Snapshot#indexOf}); while no doppler is known, sends count as errors. Before
 * signing it appends a transit trailer to each log line of an app ({@link TransitNumbering}), in
 * the room the ring keeps after the envelope, so the HMAC covers both. A send that fails is counted
 * and dropped; nothing is retried or buffered beyond the ring.
 */
public final class DopplerForwarder implements AutoCloseable {

  private static final int BATCH = 256;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ManyToOneEnvelopeRing ring;
  private final DopplerRoutes routes;
  private final DatagramSignature signature;
  private final TransitNumbering numbering;
  private final AgentCounters counters;
  private final DatagramChannel channel;
  private DopplerRoutes.Snapshot sending;
  private InetSocketAddress[] addresses;
  private final ByteBuffer view;
  private final ManyToOneEnvelopeRing.Handler sendOne = this::send;
  private final Thread thread;

  private int nextAny;
  private volatile boolean stopping;
  private volatile long drainDeadline;

  /**
   * Opens the sending socket; {@link #start()} starts the thread.
   *
   * @throws IOException if the socket cannot be opened
   */
  public DopplerForwarder(
      ManyToOneEnvelopeRing ring,
      DopplerRoutes routes,
      DatagramSignature signature,
      AgentCounters counters)
      throws IOException {
    this(
        ring,
        routes,
        signature,
        counters,
        new TransitNumbering(
            "agent",
            new java.security.SecureRandom()::nextLong,
            counters,
            TransitNumbering.DEFAULT_MAX_APPS));
  }

  /**
   * Opens the sending socket; {@link #start()} starts the thread.
   *
   * @param numbering numbers the log lines of each app; used by the sender thread only
   * @throws IOException if the socket cannot be opened
   */
  public DopplerForwarder(
      ManyToOneEnvelopeRing ring,
      DopplerRoutes routes,
      DatagramSignature signature,
      AgentCounters counters,
      TransitNumbering numbering)
      throws IOException {
    this.ring = ring;
    this.numbering = numbering;
    this.routes = routes;
    this.signature = signature;
    this.counters = counters;
    this.channel = DatagramChannel.open();
    this.sending = routes.snapshot();
    this.addresses = sending.socketAddresses();
    this.view = ByteBuffer.wrap(ring.buffer());
    this.thread = new Thread(this::run, "agent-doppler-forwarder");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /**
   * Sends what the ring still holds, for at most {@code drainMillis}, then stops the thread and
   * closes the socket. Producers should have stopped first.
   */
  @Override
  public void close() {
    close(0);
  }

  /** See {@link #close()}. */
  public void close(long drainMillis) {
    drainDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
    stopping = true;
    ring.wakeConsumer();
    try {
      thread.join(drainMillis + 1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to do with it
    }
  }

  private void run() {
    while (true) {
      int sent = ring.drain(sendOne, BATCH);
      if (stopping && (ring.isEmpty() || System.nanoTime() - drainDeadline > 0)) {
        return;
      }
      if (sent == 0) {
        ring.awaitEnvelopes(stopping ? TimeUnit.MILLISECONDS.toNanos(1) : IDLE_PARK_NANOS);
      }
    }
  }

  private void send(
      int destination, long appKey, byte[] buffer, int envelopeOffset, int envelopeLength) {
    DopplerRoutes.Snapshot now = routes.snapshot();
    if (now != sending) {
      sending = now;
      addresses = now.socketAddresses();
    }
    if (addresses.length == 0) {
      counters.increment(AgentCounter.SEND_ERRORS);
      return;
    }
    int d = now.indexOf(destination, appKey);
    if (d < 0) {
      d = nextAny < addresses.length ? nextAny : 0;
      nextAny = d + 1 == addresses.length ? 0 : d + 1;
    }
    if (envelopeLength > DatagramSignature.MAX_ENVELOPE) {
      counters.increment(AgentCounter.DROPPED_TOO_LARGE);
      return;
    }
    int trailerLength = 0;
    if (envelopeLength + TransitTrailer.MAX_LENGTH <= DatagramSignature.MAX_ENVELOPE) {
      trailerLength = numbering.append(appKey, buffer, envelopeOffset + envelopeLength);
    } else if (appKey != ManyToOneEnvelopeRing.NO_APP) {
      counters.increment(AgentCounter.TRANSIT_UNNUMBERED);
    }
    int signatureOffset = envelopeOffset - DatagramSignature.HMAC_LENGTH;
    int length =
        signature.sign(
            buffer, envelopeOffset, envelopeLength + trailerLength, buffer, signatureOffset);
    view.limit(signatureOffset + length).position(signatureOffset);
    InetSocketAddress to = addresses[d];
    try {
      channel.send(view, to);
      counters.increment(AgentCounter.SENT_MESSAGES);
      counters.add(AgentCounter.SENT_BYTES, length);
    } catch (IOException | UnresolvedAddressException e) {
      counters.increment(AgentCounter.SEND_ERRORS);
    }
  }
}
