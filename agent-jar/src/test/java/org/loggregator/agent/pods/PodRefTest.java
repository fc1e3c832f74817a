package org.loggregator.agent.pods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PodRefTest {

  private static final String UID = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";

  @Test
  void shouldReadNamespaceNameAndUidWhenTheKubeletNamedTheDirectory() {
    PodRef pod = PodRef.parse("kube-system_coredns-5d78c9869d-abcde_" + UID).orElseThrow();
    assertEquals("kube-system", pod.namespace());
    assertEquals("coredns-5d78c9869d-abcde", pod.name());
    assertEquals(UID, pod.uid());
    assertEquals("/api/v1/namespaces/kube-system/pods/coredns-5d78c9869d-abcde", pod.apiPath());
    assertEquals(
        "web.v2", PodRef.parse("ns_web.v2_0123456789abcdef0123456789abcdef").orElseThrow().name());
  }

  @Test
  void shouldRefuseNamesThatCouldLeaveTheApiPathOrAreNotTheKubeletsWhenParsing() {
    String[] bad = {
      "",
      "ns",
      "ns_pod",
      "ns_pod_" + UID + "_extra",
      "_pod_" + UID,
      "ns__" + UID,
      "ns_pod_",
      "ns_.._" + UID,
      "ns_._" + UID,
      "ns_pod.._" + UID,
      "ns_-pod_" + UID,
      "ns_pod-_" + UID,
      "NS_pod_" + UID,
      "ns_Pod_" + UID,
      "ns_pod%2F.._" + UID,
      "ns_pod?x_" + UID,
      "ns_pod_" + UID.toUpperCase(),
      "ns_pod_../../etc",
      "ns_pod_x",
      "n".repeat(64) + "_pod_" + UID,
      "ns_" + "p".repeat(254) + "_" + UID,
    };
    for (String name : bad) {
      assertEquals(Optional.empty(), PodRef.parse(name), name);
    }
  }

  @Test
  void shouldTellCurrentLogFilesFromRotatedOnesWhenListingAContainer() {
    for (String name : new String[] {"0.log", "1.log", "42.log", "123456789.log"}) {
      assertTrue(PodRef.isLogFileName(name), name);
    }
    for (String name :
        new String[] {
          "0.log.20240501-100000", "0.log.20240501-100000.gz", "0.log.tmp", "log", ".log",
          "01.log", "-1.log", "1234567890.log", "0.LOG", "a.log"
        }) {
      assertFalse(PodRef.isLogFileName(name), name);
    }
    assertTrue(PodRef.isContainerName("app"));
    assertFalse(PodRef.isContainerName(".."));
    assertFalse(PodRef.isContainerName("App"));
    assertFalse(PodRef.isContainerName("x".repeat(64)));
  }
}
