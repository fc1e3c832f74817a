package org.loggregator.bench.harness;

/**
 * What one run at one rate measured. Counts are of the run's app only, except the doppler's, which
 * counts everything it received (the harness is its only sender while it runs).
 *
 * @param condition the server's state when the run began: {@code warm} (after a warm-up), {@code
 *     cold} (the first run after the server and the agent started) or {@code from-RATE} (right
 *     after a lead-in at a lower rate)
 * @param client the consumer: {@code batched} (envelope batches, as {@code logs} reads) or {@code
 *     unbatched} (one envelope per WebSocket message, as the original system's clients read)
 * @param rate the target rate, 0 for as fast as the generator can send
 * @param seconds how long the generator sent
 * @param sent envelopes the generator sent
 * @param agentReceived datagrams the agent's UDP ingress received
 * @param agentQueueDropped envelopes the agent dropped because its queue was full
 * @param dopplerReceived datagrams the doppler's UDP listener received
 * @param dopplerDropped envelopes the doppler dropped at its subscriber queues
 * @param controllerDropped envelopes the controller dropped at its client queues
 * @param consumed envelopes of the app the consumer read
 * @param notices loss notices the consumer read
 * @param receiveBufferErrors the kernel's UDP {@code RcvbufErrors} over the run, all sockets
 * @param serverCpu CPU seconds of the Liberty server (doppler and controller) over the run
 * @param agentCpu CPU seconds of the agent
 * @param harnessCpu CPU seconds of this harness (generator and consumer)
 * @param p50 latency median, milliseconds, from each envelope's intended send time
 * @param p99 latency 99th percentile, milliseconds, from each envelope's intended send time
 */
record RunResult(
    String condition,
    String client,
    int rate,
    double seconds,
    long sent,
    long agentReceived,
    long agentQueueDropped,
    long dopplerReceived,
    long dopplerDropped,
    long controllerDropped,
    long consumed,
    long notices,
    long receiveBufferErrors,
    double serverCpu,
    double agentCpu,
    double harnessCpu,
    double p50,
    double p99) {

  /** What groups runs into one line of the table: the condition, the client and the rate. */
  String series() {
    return condition + " " + client;
  }

  double achievedRate() {
    return sent / seconds;
  }

  /** Lost between the generator and the agent (kernel drops at the agent's socket). */
  long lostToAgent() {
    return sent - agentReceived;
  }

  /** Lost between the agent's ingress and the doppler (the agent's queue, the doppler's socket). */
  long lostToDoppler() {
    return agentReceived - dopplerReceived;
  }

  /** Lost between the doppler and the consumer (subscriber and client queues). */
  long lostToConsumer() {
    return dopplerReceived - consumed;
  }

  /** Lost between the doppler and the consumer and not counted by either queue. */
  long unaccounted() {
    return lostToConsumer() - dopplerDropped - controllerDropped;
  }

  double lossPercent() {
    return sent == 0 ? 0 : 100.0 * (sent - consumed) / sent;
  }
}
