package org.loggregator.cli.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.loggregator.cli.CommandException;
import org.loggregator.cli.ExitCode;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RecentLogsQuery;
import org.loggregator.protocol.events.LogMessage;

/**
 * Fetches an app's recent logs ({@code GET /apps/{appId}/recentlogs}, multipart/x-protobuf) and
 * sorts them by time itself, as clients of the original system do. One request per call; safe to
 * share between threads.
 *
 * @param authorization the Authorization header value ({@code bearer …}), or null to send none
 */
public record RecentLogsClient(HttpClient http, LogEndpoint endpoint, String authorization) {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Names the endpoint, never the credentials. */
  @Override
  public String toString() {
    return "RecentLogsClient[" + endpoint + "]";
  }

  /**
   * The LogMessages of the app's recent-log buffer, oldest first (a stable sort on the log's
   * timestamp); envelopes of other types and parts that do not parse are skipped.
   */
  public List<LogMessage> fetch(String appId) throws CommandException, InterruptedException {
    return fetch(appId, RecentLogsQuery.ALL).stream().map(LogEnvelope::log).toList();
  }

  /**
   * The LogMessages of the app's recent-log buffer that {@code query} asks for (from its start
   * time, its newest N), oldest first, each with its bytes; as {@link #fetch(String)}.
   */
  public List<LogEnvelope> fetch(String appId, RecentLogsQuery query)
      throws CommandException, InterruptedException {
    Failures failures = new Failures(endpoint, appId, authorization != null);
    URI uri = endpoint.recentLogs(appId, query.toQuery());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().header("Accept", "*/*");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw failures.io(e);
    }
    if (response.statusCode() == 204) {
      return List.of();
    }
    if (response.statusCode() != 200) {
      throw failures.status(response.statusCode(), "GET " + uri);
    }
    return sorted(parse(response, uri));
  }

  private static List<LogEnvelope> parse(HttpResponse<byte[]> response, URI uri)
      throws CommandException {
    byte[] body = response.body();
    String contentType = response.headers().firstValue("Content-Type").orElse(null);
    String boundary = MultipartEnvelopes.boundaryOf(contentType);
    if (boundary == null) {
      if (body.length == 0) {
        return List.of();
      }
      throw new CommandException(
          ExitCode.UNEXPECTED,
          "The answer to GET "
              + uri
              + " is not multipart/x-protobuf (Content-Type "
              + contentType
              + "); check --endpoint.");
    }
    List<byte[]> parts;
    try {
      parts = MultipartEnvelopes.parse(body, boundary);
    } catch (IllegalArgumentException e) {
      throw new CommandException(
          ExitCode.UNEXPECTED,
          "The answer to GET " + uri + " is not a valid multipart body: " + e.getMessage());
    }
    List<LogEnvelope> logs = new ArrayList<>(parts.size());
    for (byte[] part : parts) {
      LogEnvelope log = LogEnvelope.of(part);
      if (log != null) {
        logs.add(log);
      }
    }
    return logs;
  }

  static List<LogEnvelope> sorted(List<LogEnvelope> logs) {
    List<LogEnvelope> copy = new ArrayList<>(logs);
    copy.sort(Comparator.comparingLong(e -> e.log().getTimestamp()));
    return copy;
  }
}
