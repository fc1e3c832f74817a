package org.loggregator.agent.metrics;

import java.util.Map;

/**
 * The catalogue of the agent's counters: each with its dropsonde name (as in the original Metron,
 * so existing dashboards read them), its tags and its description. Prometheus shows a counter
 * {@code a.b} as {@code a_b_total} with the tags as labels.
 */
public enum AgentCounter {
  INGRESS_RECEIVED_MESSAGES(
      "dropsondeAgentListener.receivedMessageCount",
      Map.of(),
      "Datagrams received on the UDP ingress."),
  INGRESS_RECEIVED_BYTES(
      "dropsondeAgentListener.receivedByteCount", Map.of(), "Bytes received on the UDP ingress."),
  INGRESS_KERNEL_DROPS(
      "dropsondeAgentListener.kernelDrops",
      Map.of(),
      "Datagrams the kernel dropped on the ingress socket because its receive buffer was full"
          + " (the drops column of /proc/net/udp for that socket)."),
  INGRESS_UNMARSHAL_ERRORS(
      "dropsondeUnmarshaller.unmarshalErrors",
      Map.of(),
      "Ingress datagrams that are not a valid dropsonde envelope; dropped."),
  CHILD_LINES(
      "childOutputReader.receivedLineCount",
      Map.of(),
      "Lines read from the child's stdout and stderr (blank lines included)."),
  CHILD_BYTES(
      "childOutputReader.receivedByteCount",
      Map.of(),
      "Bytes read from the child's stdout and stderr."),
  SPLIT_LINES(
      "lineSplitter.splitLineCount",
      Map.of(),
      "Lines longer than the maximum line size, sent as several envelopes tagged line_part."),
  JOINED_LINES(
      "javaStackTraceJoiner.joinedLineCount",
      Map.of(),
      "Stack-trace continuation lines joined to the line before them (--multiline java)."),
  POD_LINES(
      "podLogs.receivedLineCount",
      Map.of(),
      "Lines read from the CRI log files of pods (--pod-logs), malformed ones included."),
  POD_BYTES("podLogs.receivedByteCount", Map.of(), "Bytes read from the CRI log files of pods."),
  POD_MALFORMED_LINES(
      "podLogs.malformedLines",
      Map.of(),
      "Lines of pod log files that are not CRI log lines (timestamp, stdout|stderr, F|P,"
          + " message); skipped."),
  POD_UNJOINED_LINES(
      "podLogs.unjoinedLines",
      Map.of(),
      "Partial (P) lines sent without the lines that continue them, and lines longer than the read"
          + " buffer skipped, because too many streams had an incomplete line at once."),
  POD_SKIPPED(
      "podLogs.skippedPods",
      Map.of(),
      "Pods whose logs are not sent: no app id label, a label value that is no app id, or the pod"
          + " gone before its labels could be read (each pod counted once)."),
  POD_API_ERRORS(
      "podLogs.apiErrors",
      Map.of(),
      "Kubernetes API lookups of a pod's labels that failed (unreachable, slow, refused, not"
          + " JSON); retried, the pod's lines waiting on disk."),
  POD_IGNORED_PATHS(
      "podLogs.ignoredPaths",
      Map.of(),
      "Paths under the pod log directory not followed: names the kubelet does not make, symbolic"
          + " links, files past the limit of followed files (each path counted once)."),
  POD_ROTATIONS(
      "podLogs.rotations",
      Map.of(),
      "Pod log files replaced at their path (rotated, or deleted and made again)."),
  POD_TRUNCATIONS(
      "podLogs.truncations",
      Map.of(),
      "Pod log files that shrank (truncated) and were read again from their start."),
  SENT_MESSAGES(
      "DopplerForwarder.sentMessages",
      Map.of(),
      "Signed envelopes sent to a doppler or controller."),
  SENT_BYTES("DopplerForwarder.sentByteCount", Map.of(), "Bytes of signed datagrams sent."),
  SEND_ERRORS(
      "DopplerForwarder.sendErrors",
      Map.of(),
      "Datagrams the socket refused to send (unreachable network, unresolvable name); dropped."),
  DROPPED_QUEUE_FULL(
      "agent.droppedMessages",
      Map.of("direction", "ingress", "reason", "queueFull"),
      "Envelopes dropped because the forward queue was full."),
  DROPPED_RATE_LIMITED(
      "agent.droppedMessages",
      Map.of("direction", "ingress", "reason", "rateLimited"),
      "Log lines dropped because their app exceeded the rate limit."),
  DROPPED_TOO_LARGE(
      "agent.droppedMessages",
      Map.of("direction", "ingress", "reason", "tooLarge"),
      "Envelopes dropped because they do not fit one signed UDP datagram."),
  TRANSIT_NEW_EPOCHS(
      "transit.newEpochs",
      Map.of(),
      "Times the agent started a new transit epoch because its table of numbered apps was full"
          + " (never counted as loss by the doppler)."),
  TRANSIT_UNNUMBERED(
      "transit.unnumberedEnvelopes",
      Map.of(),
      "Log lines sent without a transit trailer because the trailer would not fit the datagram;"
          + " their loss cannot be counted."),
  NOTICES(
      "agent.appNotices",
      Map.of(),
      "Notices the agent wrote into an app's own stream (rate limit exceeded, lines dropped).");

  private final String dropsondeName;
  private final Map<String, String> tags;
  private final String description;

  AgentCounter(String dropsondeName, Map<String, String> tags, String description) {
    this.dropsondeName = dropsondeName;
    this.tags = tags;
    this.description = description;
  }

  /** The name in CounterEvents, such as {@code DopplerForwarder.sentMessages}. */
  public String dropsondeName() {
    return dropsondeName;
  }

  /** Tags sent with it, such as {@code reason=queueFull}; empty for most. */
  public Map<String, String> tags() {
    return tags;
  }

  public String description() {
    return description;
  }

  /** The Prometheus name: dots to underscores, {@code _total} appended. */
  public String prometheusName() {
    return dropsondeName.replace('.', '_') + "_total";
  }

  /** Whether its value is read from the kernel when reported, not counted by the agent. */
  public boolean sampled() {
    return this == INGRESS_KERNEL_DROPS;
  }
}
