package org.loggregator.agent.pods;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import org.loggregator.agent.AgentLog;
import org.loggregator.agent.cli.AgentConfig;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.forward.ManyToOneEnvelopeRing;
import org.loggregator.agent.lines.AppLogPublisher;
import org.loggregator.agent.lines.LineConsumer;
import org.loggregator.agent.metrics.AgentCounters;
import org.loggregator.agent.ratelimit.LogRateLimiter;
import org.loggregator.protocol.LogEnvelopeWriter;

/**
 * The pod-log source of serve mode ({@code --pod-logs}): a {@link PodLogTailer} over the kubelet's
 * log directory and the {@link PodAppIds} it asks, whose lookups go to the Kubernetes API ({@link
 * KubernetesPodApi}); each line becomes a LogMessage exactly as a line of run mode's child does
 * ({@link AppLogPublisher}, into the forward ring). Two threads of its own; {@link #close()} stops
 * both.
 *
 * <p>Envelopes: app id from the pod's label, source type {@code --source-type}, source instance
 * {@code <pod>/<container>}, OUT for stdout and ERR for stderr, the CRI timestamp.
 */
public final class PodLogSource implements AutoCloseable {

  private final PodAppIds appIds;
  private final PodLogTailer tailer;
  private final AgentConfig.PodLogs config;

  private PodLogSource(AgentConfig.PodLogs config, PodAppIds appIds, PodLogTailer tailer) {
    this.config = config;
    this.appIds = appIds;
    this.tailer = tailer;
  }

  /** Why the source cannot start; its message is one sentence for the operator. */
  public static final class StartupException extends Exception {
    private static final long serialVersionUID = 1L;

    StartupException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks the directory and the service account, then starts both threads.
   *
   * @param limiter the agent's rate limiter, shared with its other inputs; null for none
   */
  public static PodLogSource start(
      AgentConfig config,
      ManyToOneEnvelopeRing ring,
      DopplerRoutes routes,
      LogRateLimiter limiter,
      AgentCounters counters,
      AgentLog log)
      throws StartupException {
    AgentConfig.PodLogs pods = config.podLogs().orElseThrow();
    if (!Files.isDirectory(pods.directory(), LinkOption.NOFOLLOW_LINKS)) {
      throw new StartupException(
          "The pod log directory "
              + pods.directory()
              + " is not a directory (--pod-logs-dir; in a DaemonSet, mount the node's"
              + " /var/log/pods there).");
    }
    KubernetesPodApi api;
    try {
      api = KubernetesPodApi.open(pods.api(), pods.serviceAccountDir(), pods.appIdLabel());
    } catch (KubernetesPodApi.SetupException e) {
      throw new StartupException(e.getMessage());
    }
    PodAppIds appIds =
        new PodAppIds(api, PodAppIds.Policy.DEFAULT, counters, log, System::nanoTime);
    PodLogTailer.Publishers publishers =
        (appId, pod, container, type) ->
            publisher(config, ring, routes, limiter, counters, appId, pod, container, type);
    PodLogTailer tailer =
        new PodLogTailer(
            pods.directory(),
            appIds::resolve,
            publishers,
            config.maxLineBytes(),
            PodLogTailer.Limits.DEFAULT,
            counters,
            System::nanoTime);
    appIds.start();
    tailer.start();
    return new PodLogSource(pods, appIds, tailer);
  }

  private static LineConsumer publisher(
      AgentConfig config,
      ManyToOneEnvelopeRing ring,
      DopplerRoutes routes,
      LogRateLimiter limiter,
      AgentCounters counters,
      String appId,
      PodRef pod,
      String container,
      int type) {
    String instance = pod.name() + "/" + container;
    LogEnvelopeWriter lines =
        LogEnvelopeWriter.builder(config.origin())
            .appId(appId)
            .sourceType(config.sourceType())
            .sourceInstance(instance)
            .build();
    LogEnvelopeWriter notices =
        LogEnvelopeWriter.builder(config.origin())
            .appId(appId)
            .sourceType("LGR")
            .sourceInstance(instance)
            .build();
    return new AppLogPublisher(
        type,
        lines,
        notices,
        ring,
        routes.destinationOf(appId),
        limiter,
        appId.getBytes(StandardCharsets.UTF_8),
        counters);
  }

  /** For the start-up line. */
  public String describe() {
    return "pod logs under "
        + config.directory()
        + " (app id from label "
        + config.appIdLabel()
        + ", API "
        + config.api()
        + ")";
  }

  /** Files followed now. */
  public int trackedFiles() {
    return tailer.trackedFiles();
  }

  /** Files open now. */
  public int openFiles() {
    return tailer.openFiles();
  }

  /** Stops reading (what was read is in the ring) and the lookups. */
  @Override
  public void close() {
    tailer.close();
    appIds.close();
  }
}
