package org.loggregator.agent.pods;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.NoSuchElementException;
import org.loggregator.protocol.AppIds;

/**
 * What the Kubernetes API said about one pod, reduced to what the pod-log source needs: its app id,
 * or why its logs are skipped, or why the question must be asked again.
 *
 * @param kind the outcome
 * @param appId the app id when {@code kind} is {@link Kind#APP_ID}; else null
 * @param reason for the operator: why it was skipped or failed (never a label's value)
 */
record PodAnswer(Kind kind, String appId, String reason) {

  /** The outcomes. */
  enum Kind {
    /** The pod has the label and its value is a readable app id. */
    APP_ID,
    /** No app id can be had: no label, a value that is no app id, or the pod is gone. Skipped. */
    SKIP,
    /** The API could not answer now (unreachable, slow, refused, garbage): ask again later. */
    RETRY
  }

  /**
   * Parsson's parser, with its default limit on nesting (1,000), read by every thread (a factory is
   * thread-safe).
   */
  private static final JsonParserFactory JSON = Json.createParserFactory(Map.of());

  static PodAnswer appId(String appId) {
    return new PodAnswer(Kind.APP_ID, appId, "");
  }

  static PodAnswer skip(String reason) {
    return new PodAnswer(Kind.SKIP, null, reason);
  }

  static PodAnswer retry(String reason) {
    return new PodAnswer(Kind.RETRY, null, reason);
  }

  /**
   * Reads a Pod (or its PartialObjectMetadata) as JSON: {@code metadata.uid} must be {@code uid}
   * (else the pod of that name is another one, and the directory's pod is gone), and {@code
   * metadata.labels[label]} must be a readable app id ({@link AppIds#isReadable}). Reads only those
   * two members and skips the rest as a stream, but the whole body must be one well-formed JSON
   * object.
   */
  static PodAnswer read(byte[] body, String label, String uid) {
    String foundUid = null;
    String value = null;
    boolean labelPresent = false;
    try (JsonParser p = JSON.createParser(new ByteArrayInputStream(body), StandardCharsets.UTF_8)) {
      if (!p.hasNext() || p.next() != JsonParser.Event.START_OBJECT) {
        return retry("the API's answer is not a JSON object");
      }
      while (p.next() == JsonParser.Event.KEY_NAME) {
        String key = p.getString();
        JsonParser.Event event = p.next();
        if (!key.equals("metadata") || event != JsonParser.Event.START_OBJECT) {
          skipValue(p, event);
          continue;
        }
        while (p.next() == JsonParser.Event.KEY_NAME) {
          String field = p.getString();
          JsonParser.Event fieldEvent = p.next();
          if (field.equals("uid") && fieldEvent == JsonParser.Event.VALUE_STRING) {
            foundUid = p.getString();
          } else if (field.equals("labels") && fieldEvent == JsonParser.Event.START_OBJECT) {
            while (p.next() == JsonParser.Event.KEY_NAME) {
              boolean ours = p.getString().equals(label);
              JsonParser.Event labelEvent = p.next();
              if (ours && !labelPresent) {
                labelPresent = true;
                value = labelEvent == JsonParser.Event.VALUE_STRING ? p.getString() : null;
              }
              skipValue(p, labelEvent);
            }
          } else {
            skipValue(p, fieldEvent);
          }
        }
      }
      if (p.hasNext()) {
        return retry("the API's answer holds more than one JSON value");
      }
    } catch (JsonException | IllegalStateException | NoSuchElementException e) {
      return retry("the API's answer is not well-formed JSON");
    }
    if (foundUid == null) {
      return retry("the API's answer has no metadata.uid");
    }
    if (!foundUid.equals(uid)) {
      return skip("the pod of that name is another one now (another UID)");
    }
    if (!labelPresent) {
      return skip("no label " + label);
    }
    if (value == null || !AppIds.isReadable(value)) {
      return skip(
          "its label "
              + label
              + " is no app id (1 to "
              + AppIds.MAX_READABLE_LENGTH
              + " letters, digits or . _ : -, not only dots)");
    }
    return appId(value);
  }

  /** Skips the value whose first event was {@code event}, an object or array whole. */
  private static void skipValue(JsonParser p, JsonParser.Event event) {
    if (event == JsonParser.Event.START_OBJECT) {
      p.skipObject();
    } else if (event == JsonParser.Event.START_ARRAY) {
      p.skipArray();
    }
  }
}
