package org.loggregator.agent.cli;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every setting of the agent: the same name as a flag ({@code --name value} or {@code
 * --name=value}) and as a key of the {@code --config} properties file. The catalogue {@code --help}
 * prints.
 */
public enum Option {
  CONFIG("config", "FILE", "", Scope.BOTH, "Read settings from a properties file; flags win."),
  ZONE("zone", "NAME", "z1", Scope.BOTH, "The agent's zone."),
  DOPPLERS(
      "dopplers",
      "LIST",
      "127.0.0.1:3458",
      Scope.BOTH,
      "The dopplers of the agent's zone as HOST:PORT,HOST:PORT; or in the servers' form"
          + " 'ZONE HOST:PORT URL; ...', of which those of --zone are used."),
  CONTROLLER(
      "controller",
      "HOST:PORT",
      "",
      Scope.BOTH,
      "Send everything to this controller inbound address instead of the dopplers."),
  DOPPLER_REFRESH(
      "doppler-refresh",
      "DURATION",
      "10s",
      Scope.BOTH,
      "How often the host names among --dopplers (or --controller) are resolved again: a name"
          + " stands for every address it has, so dopplers can come and go (1s to 1h)."),
  SHARED_SECRET(
      "shared-secret",
      "SECRET",
      "",
      Scope.BOTH,
      "Required (or --shared-secret-file): the HMAC key of the signed datagrams, the servers'"
          + " loggregator.sharedSecret; at least 32 bytes (openssl rand -hex 32), never the value"
          + " published in the protocol's documentation. During a rotation, several separated by"
          + " commas: the first signs."),
  SHARED_SECRET_FILE(
      "shared-secret-file",
      "FILE",
      "",
      Scope.BOTH,
      "Read --shared-secret from the first line of this file instead, so that it is not on the"
          + " command line; not both."),
  INGRESS(
      "ingress",
      "HOST:PORT|off",
      "127.0.0.1:3457 (serve), off (run)",
      Scope.BOTH,
      "UDP address where emitters send unsigned envelopes; 'off' for none."),
  INGRESS_BUFFER(
      "ingress-buffer",
      "BYTES",
      "64MiB",
      Scope.BOTH,
      "Receive buffer to ask for on the ingress socket; the kernel caps it at"
          + " net.core.rmem_max."),
  QUEUE_BYTES(
      "queue-bytes",
      "BYTES",
      "8MiB",
      Scope.BOTH,
      "Size of the queue between inputs and sender (rounded up to a power of two); when full,"
          + " envelopes are dropped and counted."),
  MAX_LINE_BYTES(
      "max-line-bytes",
      "BYTES",
      "61440",
      Scope.BOTH,
      "Longer lines (of the child, or of pods) are sent in parts tagged line_part."),
  MULTILINE(
      "multiline",
      "none|java",
      "none",
      Scope.RUN,
      "'java' joins stack-trace continuation lines to the line before them."),
  RATE_LIMIT(
      "rate-limit",
      "LINES",
      "0",
      Scope.BOTH,
      "Log lines per second per app; past it lines are dropped and a notice is sent; 0 for no"
          + " limit."),
  METRICS_PORT(
      "metrics-port",
      "PORT",
      "14823 (serve), 0 (run)",
      Scope.BOTH,
      "Port of the Prometheus text endpoint on 127.0.0.1; 0 for none."),
  METRICS_INTERVAL(
      "metrics-interval",
      "DURATION",
      "5s",
      Scope.BOTH,
      "How often the counters are sent as CounterEvents (origin MetronAgent)."),
  ORIGIN("origin", "NAME", "agent", Scope.BOTH, "Origin of the envelopes the agent writes."),
  APP_ID("app-id", "ID", "", Scope.RUN, "The app id of the child's logs (required)."),
  INSTANCE("instance", "N", "0", Scope.RUN, "The instance index (source_instance)."),
  SOURCE_TYPE(
      "source-type", "TYPE", "APP", Scope.BOTH, "The source type of the child's (or pods') logs."),
  DRAIN(
      "drain",
      "URL",
      "",
      Scope.RUN,
      "A syslog://, syslog-tls:// or https:// drain of the app, sent in the tag drain_urls;"
          + " repeatable."),
  PASS_THROUGH(
      "pass-through",
      "",
      "false",
      Scope.RUN,
      "Also copy the child's output to the agent's own stdout and stderr."),
  STOP_TIMEOUT(
      "stop-timeout",
      "DURATION",
      "10s",
      Scope.RUN,
      "After SIGTERM or SIGINT, how long the child has to exit before it is killed."),
  POD_LOGS(
      "pod-logs",
      "",
      "false",
      Scope.SERVE,
      "Also send the lines of the pods' CRI log files under --pod-logs-dir (from their end at"
          + " start), each under the app id its pod's --app-id-label gives, read from the"
          + " Kubernetes API; pods without one are skipped."),
  POD_LOGS_DIR(
      "pod-logs-dir",
      "DIR",
      "/var/log/pods",
      Scope.SERVE,
      "The kubelet's pod log directory, NAMESPACE_POD_UID/CONTAINER/N.log; symbolic links are"
          + " not followed."),
  APP_ID_LABEL(
      "app-id-label",
      "KEY",
      "loggregator/app-id",
      Scope.SERVE,
      "The pod label whose value is the app id of the pod's logs."),
  KUBERNETES_API(
      "kubernetes-api",
      "URL",
      "https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT",
      Scope.SERVE,
      "The Kubernetes API that --pod-logs asks for a pod's labels (https)."),
  SERVICE_ACCOUNT_DIR(
      "service-account-dir",
      "DIR",
      "/var/run/secrets/kubernetes.io/serviceaccount",
      Scope.SERVE,
      "Where --pod-logs finds the token (read for every request) and ca.crt (the only CA it"
          + " trusts for the API)."),
  QUIET("quiet", "", "false", Scope.BOTH, "Print only warnings and errors."),
  HELP("help", "", "", Scope.BOTH, "Print this help and exit.");

  /** Which modes an option applies to. */
  public enum Scope {
    BOTH,
    RUN,
    SERVE
  }

  private final String key;
  private final String argument;
  private final String defaultText;
  private final Scope scope;
  private final String description;

  Option(String key, String argument, String defaultText, Scope scope, String description) {
    this.key = key;
    this.argument = argument;
    this.defaultText = defaultText;
    this.scope = scope;
    this.description = description;
  }

  /** The name, as a properties key; the flag is {@code --} and this. */
  public String key() {
    return key;
  }

  /** How --help shows its value; empty for a switch that takes none. */
  public String argument() {
    return argument;
  }

  public String defaultText() {
    return defaultText;
  }

  public Scope scope() {
    return scope;
  }

  public String description() {
    return description;
  }

  /** Whether it is a switch: {@code --quiet} alone means true. */
  public boolean isSwitch() {
    return argument.isEmpty();
  }

  /** Whether it may be given several times. */
  public boolean isRepeatable() {
    return this == DRAIN;
  }

  public String flag() {
    return "--" + key;
  }

  public static Optional<Option> byKey(String key) {
    return Arrays.stream(values()).filter(o -> o.key.equals(key)).findFirst();
  }
}
