package org.loggregator.agent.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.loggregator.config.Settings;

/** The options of the pod-log source ({@code --pod-logs}), read and checked once. */
final class PodLogsOptions {

  /** A label key: an optional DNS-subdomain prefix and '/', then a name of up to 63 characters. */
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
              + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  /** The longest label key: a DNS subdomain, '/', a name. */
  private static final int MAX_LABEL_KEY = 253 + 1 + 63;

  private PodLogsOptions() {}

  static AgentConfig.PodLogs read(Settings s, AgentArguments arguments) throws UsageException {
    Path directory = path(s, arguments, Option.POD_LOGS_DIR, "/var/log/pods");
    String label = s.string(Option.APP_ID_LABEL.key(), "loggregator/app-id");
    if (label.length() > MAX_LABEL_KEY || !LABEL_KEY.matcher(label).matches()) {
      throw new UsageException(
          arguments.where(Option.APP_ID_LABEL.key())
              + " must be a label key, such as loggregator/app-id, but is \""
              + label
              + "\".");
    }
    String apiKey = Option.KUBERNETES_API.key();
    URI api;
    if (arguments.lookup(apiKey).filter(v -> !v.isBlank()).isPresent()) {
      api = s.httpUrl(apiKey, null);
      if (!"https".equalsIgnoreCase(api.getScheme())) {
        throw new UsageException(
            arguments.where(apiKey) + " must be an https URL: the token must not travel in clear.");
      }
    } else {
      api =
          inClusterApi(
              System.getenv("KUBERNETES_SERVICE_HOST"), System.getenv("KUBERNETES_SERVICE_PORT"));
      if (api == null) {
        throw new UsageException(
            "Option --pod-logs needs the Kubernetes API: run the agent in a pod (which has"
                + " KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT) or give --kubernetes-api.");
      }
    }
    Path serviceAccount =
        path(
            s,
            arguments,
            Option.SERVICE_ACCOUNT_DIR,
            "/var/run/secrets/kubernetes.io/serviceaccount");
    return new AgentConfig.PodLogs(directory, label, api, serviceAccount);
  }

  /**
   * The API's address from the variables Kubernetes gives every container ({@code
   * KUBERNETES_SERVICE_HOST}, {@code KUBERNETES_SERVICE_PORT}); null when they are absent.
   */
  static URI inClusterApi(String host, String port) {
    if (host == null || host.isBlank() || port == null || !port.matches("[0-9]{1,5}")) {
      return null;
    }
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    try {
      return new URI("https://" + h + ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static Path path(Settings s, AgentArguments arguments, Option option, String defaultValue)
      throws UsageException {
    String text = s.string(option.key(), defaultValue);
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new UsageException(arguments.where(option.key()) + " is not a path: \"" + text + "\".");
    }
  }
}
