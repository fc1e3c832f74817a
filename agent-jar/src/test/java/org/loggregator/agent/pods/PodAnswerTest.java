package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PodAnswerTest {

  static final String LABEL = "loggregator/app-id";
  static final String UID = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  /** A Pod as the API answers it, with these labels (JSON members, or null for none). */
  static String pod(String uid, String labels) {
    return "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"web-1\","
        + "\"namespace\":\"ns\",\"uid\":\""
        + uid
        + "\",\"annotations\":{\"a\":\"{\\\"nested\\\":[1,2,{}]}\"},"
        + (labels == null ? "" : "\"labels\":{" + labels + "},")
        + "\"managedFields\":[{\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{}}}}]},"
        + "\"spec\":{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"x\",\"value\":\""
        + LABEL
        + "\"}]}]},\"status\":{\"phase\":\"Running\"}}";
  }

  private static PodAnswer read(String json) {
    return PodAnswer.read(json.getBytes(StandardCharsets.UTF_8), LABEL, UID);
  }

  @Test
  void shouldGiveTheLabelsValueWhenThePodHasAReadableAppId() {
    PodAnswer a = read(pod(UID, "\"app\":\"web\",\"" + LABEL + "\":\"app-1\",\"z\":\"1\""));
    assertEquals(PodAnswer.appId("app-1"), a);
    String metadataOnly =
        "{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":"
            + "{\"uid\":\""
            + UID
            + "\",\"labels\":{\""
            + LABEL
            + "\":\"6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab\"}}}";
    assertEquals(PodAnswer.appId(UID), read(metadataOnly));
  }

  @Test
  void shouldSkipAndNeverGuessWhenTheLabelIsMissingOrNoAppId() {
    assertEquals(PodAnswer.Kind.SKIP, read(pod(UID, null)).kind());
    assertEquals(PodAnswer.Kind.SKIP, read(pod(UID, "\"app\":\"web\"")).kind());
    assertEquals(PodAnswer.Kind.SKIP, read(pod(UID, "\"loggregator/app-ID\":\"x\"")).kind());
    for (String value :
        new String[] {
          "\"\"",
          "\"..\"",
          "\"a b\"",
          "\"a/b\"",
          "\"é\"",
          "1",
          "null",
          "{}",
          "[\"a\"]",
          "\"" + "x".repeat(129) + "\""
        }) {
      PodAnswer a = read(pod(UID, "\"" + LABEL + "\":" + value));
      assertEquals(PodAnswer.Kind.SKIP, a.kind(), value);
      assertTrue(a.reason().contains("is no app id"), a.reason());
      assertTrue(!a.reason().contains("x".repeat(129)), "never the value: " + a.reason());
    }
    PodAnswer twice = read(pod(UID, "\"" + LABEL + "\":\"first\",\"" + LABEL + "\":\"second\""));
    assertEquals(PodAnswer.appId("first"), twice);
  }

  @Test
  void shouldSkipWhenThePodOfThatNameIsAnotherOne() {
    PodAnswer a = read(pod("00000000-0000-0000-0000-000000000000", "\"" + LABEL + "\":\"app-1\""));
    assertEquals(PodAnswer.Kind.SKIP, a.kind());
  }

  @Test
  void shouldAskAgainWithoutThrowingWhenTheAnswerIsGarbage() {
    String[] garbage = {
      "",
      "null",
      "[]",
      "\"pod\"",
      "{",
      "{\"metadata\":",
      "{\"metadata\":{\"uid\":\"" + UID + "\"}",
      "{\"metadata\":{\"uid\":\"" + UID + "\"}}{}",
      "{\"metadata\":{\"uid\":\"" + UID + "\"}} x",
      "{\"metadata\":{\"labels\":{\"" + LABEL + "\":\"a\"}}}",
      "{\"metadata\":{\"uid\":7}}",
      "{\"metadata\":[]}",
      "<html>502 Bad Gateway</html>",
      "\u0000\u0001\u0002",
      "{\"metadata\":{\"uid\":\"" + UID + "\",\"labels\":{\"" + LABEL + "\":\"a\"," + "}}}",
    };
    for (String body : garbage) {
      assertEquals(PodAnswer.Kind.RETRY, read(body).kind(), body);
    }
    byte[] notUtf8 = {'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'};
    assertEquals(PodAnswer.Kind.RETRY, PodAnswer.read(notUtf8, LABEL, UID).kind());
  }

  @Test
  void shouldAnswerWithoutRecursingWhenTheAnswerIsNestedDeeply() {
    String deep = "[".repeat(200_000) + "]".repeat(200_000);
    PodAnswer a = read("{\"spec\":" + deep + ",\"metadata\":{\"uid\":\"" + UID + "\"}}");
    assertEquals(PodAnswer.Kind.SKIP, a.kind(), "skipped as a stream: no label, no stack overflow");
    String deepLabel = "{\"x\":".repeat(200_000) + "1" + "}".repeat(200_000);
    PodAnswer b = read(pod(UID, "\"" + LABEL + "\":" + deepLabel + ",\"" + LABEL + "2\":\"a\""));
    assertEquals(PodAnswer.Kind.SKIP, b.kind());
    String deepObjects = "{\"a\":".repeat(200_000) + "1" + "}".repeat(200_000);
    assertEquals(PodAnswer.Kind.RETRY, read(deepObjects).kind());
    String wide = "{\"spec\":[" + "1,".repeat(100_000) + "1]," + pod(UID, null).substring(1);
    assertEquals(PodAnswer.Kind.SKIP, read(wide).kind());
  }
}
