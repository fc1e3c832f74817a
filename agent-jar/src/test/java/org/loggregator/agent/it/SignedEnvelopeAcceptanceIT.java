package org.loggregator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.forward.DopplerRoutes;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * Black-box: what the agent JAR sends is accepted by a doppler. Two stand-in dopplers check each
 * datagram exactly as a doppler does (HMAC, then EnvelopeReader); the app's envelopes must all go
 * to the one that owns its app id. (The test against the real doppler's UDP listener remains to be
 * written once it exists.)
 */
class SignedEnvelopeAcceptanceIT {

  private static final String APP = "6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab";
  private static final String SECRET = TestSecrets.SECRET;

  @Test
  void shouldBeAcceptedByTheOwningDopplerWhenTheAgentSendsAChildsOutput() throws Exception {
    try (VerifyingUdpReceiver a = new VerifyingUdpReceiver(SECRET);
        VerifyingUdpReceiver b = new VerifyingUdpReceiver(SECRET)) {
      String script =
          String.join(
              "\n",
              "echo 'first line on stdout'",
              "echo 'a line on stderr' >&2",
              "printf 'java.lang.IllegalStateException: boom\\n\\tat a.B.c(B.java:1)\\n"
                  + "\\t... 3 more\\nCaused by: java.io.IOException: inner\\n' >&2",
              "head -c 2500 /dev/zero | tr '\\0' x; echo",
              "printf 'last line without newline'",
              "exit 3");
      try (AgentProcess agent =
          AgentProcess.start(
              "run",
              "--app-id",
              APP,
              "--instance",
              "4",
              "--source-type",
              "WEB",
              "--shared-secret",
              SECRET,
              "--dopplers",
              a.address() + "," + b.address(),
              "--max-line-bytes",
              "1000",
              "--multiline",
              "java",
              "--drain",
              "syslog://logs.example.org:514",
              "--drain",
              "https://drain.example.org/x",
              "--",
              "sh",
              "-c",
              script)) {
        assertEquals(3, agent.waitForExit(), agent.stderr());
      }
      DopplerRoutes routes =
          DopplerRoutes.toDopplers(
              List.of(new HostPort("127.0.0.1", a.port()), new HostPort("127.0.0.1", b.port())));
      boolean aOwns = routes.destinationOf(APP) == 0;
      VerifyingUdpReceiver owner = aOwns ? a : b;
      VerifyingUdpReceiver other = aOwns ? b : a;

      List<Envelope> received = new ArrayList<>();
      for (byte[] bytes : owner.receive(1000, 1_000)) {
        received.add(AgentProcessIT.parse(bytes));
      }
      List<Envelope> elsewhere = new ArrayList<>();
      for (byte[] bytes : other.receive(1000, 200)) {
        elsewhere.add(AgentProcessIT.parse(bytes));
      }
      assertEquals(0, owner.badSignatures() + other.badSignatures(), "every HMAC verifies");
      assertEquals(0, owner.unreadable() + other.unreadable(), "every envelope reads");
      assertTrue(
          elsewhere.stream().noneMatch(Envelope::hasLogMessage),
          "the app's logs all go to its owner");

      List<Envelope> logs = received.stream().filter(Envelope::hasLogMessage).toList();
      List<String> texts =
          logs.stream().map(e -> e.getLogMessage().getMessage().toStringUtf8()).toList();
      assertTrue(texts.contains("first line on stdout"), texts.toString());
      assertTrue(texts.contains("a line on stderr"), texts.toString());
      assertTrue(
          texts.contains(
              "java.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n\t... 3 more\n"
                  + "Caused by: java.io.IOException: inner"),
          "the stack trace is one envelope: " + texts);
      assertTrue(texts.contains("last line without newline"), texts.toString());

      List<Envelope> parts = logs.stream().filter(e -> e.containsTags("line_part")).toList();
      assertEquals(
          List.of("1", "2", "3/3"),
          parts.stream().map(e -> e.getTagsOrThrow("line_part")).toList());
      assertEquals(
          "x".repeat(2500),
          String.join(
              "", parts.stream().map(e -> e.getLogMessage().getMessage().toStringUtf8()).toList()));

      for (Envelope e : logs) {
        LogMessage log = e.getLogMessage();
        assertEquals(APP, log.getAppId());
        assertEquals("WEB", log.getSourceType());
        assertEquals("4", log.getSourceInstance());
        assertEquals(
            "syslog://logs.example.org:514 https://drain.example.org/x",
            e.getTagsOrThrow("drain_urls"));
        assertEquals(
            log.getMessage().toStringUtf8().contains("stderr")
                    || log.getMessage().toStringUtf8().startsWith("java.lang")
                ? LogMessage.MessageType.ERR
                : LogMessage.MessageType.OUT,
            log.getMessageType());
      }
      List<Envelope> counters = new ArrayList<>(elsewhere);
      counters.addAll(received.stream().filter(Envelope::hasCounterEvent).toList());
      assertTrue(
          counters.stream()
              .anyMatch(
                  e -> AgentProcess.isAgentCounter(e, "childOutputReader.receivedLineCount", 8)),
          "the agent's own counters went out too: " + counters);
    }
  }

  @Test
  void shouldSendEverythingToTheControllerWhenOneIsConfigured() throws Exception {
    try (VerifyingUdpReceiver controller = new VerifyingUdpReceiver(SECRET);
        VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(SECRET);
        AgentProcess agent =
            AgentProcess.start(
                "run",
                "--app-id",
                APP,
                "--shared-secret",
                SECRET,
                "--dopplers",
                doppler.address(),
                "--controller",
                controller.address(),
                "--",
                "sh",
                "-c",
                "echo one; echo two")) {
      assertEquals(0, agent.waitForExit());
      List<String> texts =
          controller.receive(100, 1_000).stream()
              .map(AgentProcessIT::parse)
              .filter(Envelope::hasLogMessage)
              .map(e -> e.getLogMessage().getMessage().toStringUtf8())
              .toList();
      assertEquals(List.of("one", "two"), texts);
      assertEquals(0, doppler.receive(1, 200).size());
    }
  }
}
