package org.loggregator.ingress;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.loggregator.metrics.Counter;
import org.loggregator.metrics.MetricName;
import org.loggregator.protocol.ReadResult;

/**
 * What a {@link UdpEnvelopeListener} counts: every datagram it received, and every one it dropped,
 * by reason. Thread-safe; shared by all receiver threads of a listener.
 */
public final class ListenerCounters {
  public static final MetricName RECEIVED_MESSAGES =
      MetricName.of(
          "dropsondeListener.receivedMessageCount",
          "Datagrams received on the UDP listener, valid or not.");
  public static final MetricName RECEIVED_BYTES =
      MetricName.of(
          "dropsondeListener.receivedByteCount",
          "Bytes received on the UDP listener, valid or not.");
  public static final MetricName RECEIVE_ERRORS =
      MetricName.of(
          "dropsondeListener.receiveErrors",
          "Errors the operating system reported while receiving on the UDP listener.");
  public static final MetricName INVALID_SIGNATURES =
      MetricName.of(
          "signatureVerifier.invalidSignatures",
          "Datagrams dropped because they were shorter than a signature (reason=short) or their"
              + " HMAC did not match the shared secret (reason=mismatch).");
  public static final MetricName UNMARSHAL_ERRORS =
      MetricName.of(
          "dropsondeUnmarshaller.unmarshalErrors",
          "Signed datagrams dropped because the envelope did not parse, by reason.");
  public static final MetricName OVERSIZED =
      MetricName.of(
          "dropsondeListener.oversizedDatagrams",
          "Datagrams dropped because they were longer than 65,507 bytes.");
  public static final MetricName HANDLER_ERRORS =
      MetricName.of(
          "dropsondeListener.handlerErrors",
          "Valid envelopes dropped because routing them failed unexpectedly (a bug: see the log).");
  public static final MetricName DROPPED =
      MetricName.of(
          "messageRouter.totalDroppedMessages",
          "Envelopes dropped, by direction: ingress (invalid datagrams) or egress (subscribers,"
              + " clients and drains that fell behind).");

  final Counter received;
  final Counter receivedBytes;
  final Counter receiveErrors;
  final Counter shortDatagrams;
  final Counter badSignatures;
  final Counter oversized;
  final Counter handlerErrors;
  final Counter droppedIngress;
  private final Map<ReadResult, Counter> unmarshalErrors = new EnumMap<>(ReadResult.class);

  /**
   * @param counters creates the counter for each name; {@code tags} (such as the component) are
   *     added to every name
   */
  public ListenerCounters(Function<MetricName, Counter> counters, Map<String, String> tags) {
    received = counters.apply(RECEIVED_MESSAGES.tagged(tags));
    receivedBytes = counters.apply(RECEIVED_BYTES.tagged(tags));
    receiveErrors = counters.apply(RECEIVE_ERRORS.tagged(tags));
    shortDatagrams = counters.apply(INVALID_SIGNATURES.tagged(tags).tagged("reason", "short"));
    badSignatures = counters.apply(INVALID_SIGNATURES.tagged(tags).tagged("reason", "mismatch"));
    oversized = counters.apply(OVERSIZED.tagged(tags));
    handlerErrors = counters.apply(HANDLER_ERRORS.tagged(tags));
    droppedIngress = counters.apply(DROPPED.tagged(tags).tagged("direction", "ingress"));
    for (ReadResult result : ReadResult.values()) {
      if (result != ReadResult.OK) {
        String reason = result.name().toLowerCase(Locale.ROOT);
        unmarshalErrors.put(
            result, counters.apply(UNMARSHAL_ERRORS.tagged(tags).tagged("reason", reason)));
      }
    }
  }

  void unmarshalError(ReadResult result) {
    unmarshalErrors.get(result).increment();
    droppedIngress.increment();
  }

  public long received() {
    return received.count();
  }

  public long receivedBytes() {
    return receivedBytes.count();
  }

  public long shortDatagrams() {
    return shortDatagrams.count();
  }

  public long badSignatures() {
    return badSignatures.count();
  }

  public long oversized() {
    return oversized.count();
  }

  public long unmarshalErrors(ReadResult reason) {
    return unmarshalErrors.get(reason).count();
  }

  public long handlerErrors() {
    return handlerErrors.count();
  }

  /** Every datagram dropped on receipt, whatever the reason. */
  public long droppedIngress() {
    return droppedIngress.count();
  }
}
