package org.loggregator.agent.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.SharedSecrets;

/**
 * The agent's settings, resolved and validated once from flags and the settings file; immutable.
 *
 * @param mode serve (UDP ingress daemon) or run (a child's stdout and stderr)
 * @param dopplers the dopplers of the agent's zone, used unless {@code controller} is present
 * @param controller a controller inbound address that gets everything instead
 * @param dopplerRefresh how often the names among the dopplers (or the controller) are resolved
 *     again
 * @param sharedSecret the secrets of the signed datagrams; the first signs
 * @param ingress the UDP ingress address, empty when off
 * @param queueBytes the ring capacity, a power of two
 * @param rateLimit lines per second per app; 0 for none
 * @param metricsPort the Prometheus port on 127.0.0.1; 0 for none
 * @param appId run mode: the child's app id; empty in serve mode
 * @param drains run mode: drain URLs, sent in the tag drain_urls
 * @param command run mode: the command and its arguments
 * @param podLogs serve mode: the pod-log source, when on (--pod-logs)
 */
public record AgentConfig(
    Mode mode,
    String zone,
    List<HostPort> dopplers,
    Optional<HostPort> controller,
    Duration dopplerRefresh,
    SharedSecrets sharedSecret,
    Optional<HostPort> ingress,
    int ingressBufferBytes,
    int queueBytes,
    int maxLineBytes,
    Multiline multiline,
    int rateLimit,
    int metricsPort,
    Duration metricsInterval,
    String origin,
    String appId,
    String instance,
    String sourceType,
    List<String> drains,
    boolean passThrough,
    Duration stopTimeout,
    boolean quiet,
    List<String> command,
    Optional<PodLogs> podLogs) {

  /** What the agent does. */
  public enum Mode {
    /** Forward what arrives on the UDP ingress, until stopped. */
    SERVE,
    /** Run a command and forward its output; exit with its exit code. */
    RUN
  }

  /**
   * The pod-log source: the kubelet's log directory, the label that holds a pod's app id, and the
   * Kubernetes API with the service-account directory (token, ca.crt) to ask it with.
   */
  public record PodLogs(Path directory, String appIdLabel, URI api, Path serviceAccountDir) {}

  /** How lines are joined before they become envelopes. */
  public enum Multiline {
    NONE,
    JAVA
  }

  public AgentConfig {
    dopplers = List.copyOf(dopplers);
    drains = List.copyOf(drains);
    command = List.copyOf(command);
  }

  /** The drain URLs as the value of the tag drain_urls: space-separated; empty for none. */
  public String drainUrlsTag() {
    return String.join(" ", drains);
  }
}
