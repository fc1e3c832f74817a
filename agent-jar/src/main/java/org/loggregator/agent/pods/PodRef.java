package org.loggregator.agent.pods;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pod as the kubelet names its log directory, {@code <namespace>_<pod>_<uid>}: each part checked
 * against Kubernetes' own rules (a namespace is a DNS label, a pod name a DNS subdomain, neither
 * holds {@code _}), so that what goes into an API path is only ever a name, never {@code ..} or a
 * {@code /}.
 *
 * @param uid the pod's UID: lowercase hex and dashes (a UUID; a static pod's is a 32-digit hash)
 */
record PodRef(String namespace, String name, String uid) {

  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern UID = Pattern.compile("[0-9a-f][0-9a-f-]{0,62}[0-9a-f]");
  private static final Pattern LOG_FILE = Pattern.compile("(0|[1-9][0-9]{0,8})\\.log");

  /** The pod of a log directory's name; empty when the name is not one the kubelet makes. */
  static Optional<PodRef> parse(String directoryName) {
    String[] parts = directoryName.split("_", -1);
    if (parts.length != 3
        || !DNS_LABEL.matcher(parts[0]).matches()
        || parts[1].length() > 253
        || !DNS_SUBDOMAIN.matcher(parts[1]).matches()
        || !UID.matcher(parts[2]).matches()) {
      return Optional.empty();
    }
    return Optional.of(new PodRef(parts[0], parts[1], parts[2]));
  }

  /** Whether a container's log directory has this name: a DNS label, as container names are. */
  static boolean isContainerName(String name) {
    return DNS_LABEL.matcher(name).matches();
  }

  /**
   * Whether a file in a container's directory is a current log file, {@code <N>.log} (N the
   * container's restart count), rather than a rotated one ({@code <N>.log.<time>}, {@code .gz}) or
   * anything else.
   */
  static boolean isLogFileName(String name) {
    return LOG_FILE.matcher(name).matches();
  }

  /** The path of this pod in the Kubernetes API. */
  String apiPath() {
    return "/api/v1/namespaces/" + namespace + "/pods/" + name;
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
