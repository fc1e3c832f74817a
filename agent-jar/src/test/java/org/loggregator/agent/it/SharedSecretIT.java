package org.loggregator.agent.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.agent.testing.VerifyingUdpReceiver;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.TestSecrets;
import org.loggregator.protocol.events.Envelope;

/**
 * The agent JAR as a process and its shared secret: required (exit 2 with one sentence naming the
 * flag, the child never started), never the published value, never printed; read from a file;
 * during a rotation the first secret signs.
 */
class SharedSecretIT {

  private static final String PUBLISHED = "loggregatorEndPointSharedSecret";

  @TempDir Path dir;

  /** The one line the agent printed before it exited 2, without "agent: " and the newline. */
  private static String refusal(AgentProcess agent) throws InterruptedException {
    assertEquals(2, agent.waitForExit(), agent.stderr());
    String err = agent.stderr();
    assertTrue(err.startsWith("agent: ") && err.endsWith(".\n"), err);
    assertEquals(1, err.lines().count(), "one line, no stack trace: " + err);
    assertEquals("", agent.stdout());
    return err.substring("agent: ".length(), err.length() - 1);
  }

  @Test
  void shouldExitTwoNamingTheFlagAndNeverStartTheChildWhenNoSecretIsGiven() throws Exception {
    Path marker = dir.resolve("started");
    try (AgentProcess agent =
        AgentProcess.startExactly(
            "run", "--app-id", "a", "--", "sh", "-c", "touch '" + marker + "'")) {
      String message = refusal(agent);
      assertTrue(message.startsWith("Option --shared-secret is missing: "), message);
      assertTrue(message.contains("at least 32 bytes"), message);
    }
    assertFalse(Files.exists(marker), "the child never ran");
    try (AgentProcess agent = AgentProcess.startExactly("serve", "--metrics-port", "0")) {
      assertTrue(refusal(agent).startsWith("Option --shared-secret is missing: "));
    }
  }

  @Test
  void shouldExitTwoWithoutPrintingItWhenTheSecretIsPublishedOrShort() throws Exception {
    try (AgentProcess agent = AgentProcess.startExactly("serve", "--shared-secret", PUBLISHED)) {
      String message = refusal(agent);
      assertTrue(message.startsWith("Option --shared-secret is the secret printed in"), message);
      assertFalse(agent.stderr().contains(PUBLISHED), agent.stderr());
    }
    String short31 = TestSecrets.SECRET.substring(0, 31);
    try (AgentProcess agent = AgentProcess.startExactly("serve", "--shared-secret", short31)) {
      assertTrue(refusal(agent).startsWith("Option --shared-secret must be at least 32 bytes"));
      assertFalse(agent.stderr().contains(short31), agent.stderr());
    }
  }

  @Test
  void shouldNameTheSettingsKeyWhenTheSettingsFileHoldsABadSecret() throws Exception {
    Path settings = dir.resolve("agent.properties");
    Files.writeString(settings, "shared-secret=" + PUBLISHED + "\n");
    try (AgentProcess agent = AgentProcess.startExactly("serve", "--config", settings.toString())) {
      String message = refusal(agent);
      assertTrue(message.startsWith("Setting shared-secret in " + settings + " is the"), message);
      assertFalse(agent.stderr().contains(PUBLISHED), agent.stderr());
    }
  }

  @Test
  void shouldExitTwoNamingTheFlagWhenBothFlagsOrAnUnreadableFileAreGiven() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, TestSecrets.SECRET + "\n");
    try (AgentProcess agent =
        AgentProcess.startExactly(
            "serve",
            "--shared-secret",
            TestSecrets.SECRET,
            "--shared-secret-file",
            secret.toString())) {
      assertEquals(
          "Give --shared-secret or --shared-secret-file, not both (each names the same secret).",
          refusal(agent));
      assertFalse(agent.stderr().contains(TestSecrets.SECRET));
    }
    try (AgentProcess agent =
        AgentProcess.startExactly(
            "serve", "--shared-secret-file", dir.resolve("absent").toString())) {
      assertEquals("Option --shared-secret-file names a file that does not exist.", refusal(agent));
    }
  }

  @Test
  void shouldSignWithTheFileSecretAndNeverPrintItWhenGivenASecretFile() throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, TestSecrets.SECRET + "\nignored second line\n");
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.SECRET);
        AgentProcess agent =
            AgentProcess.startExactly(
                "run",
                "--app-id",
                "app-1",
                "--shared-secret-file",
                secret.toString(),
                "--dopplers",
                doppler.address(),
                "--",
                "sh",
                "-c",
                "echo one; echo two")) {
      assertEquals(0, agent.waitForExit(), agent.stderr());
      assertEquals(List.of("one", "two"), logLines(doppler));
      assertEquals(0, doppler.badSignatures());
      assertFalse(agent.stderr().contains(TestSecrets.SECRET), agent.stderr());
      assertFalse(agent.stdout().contains(TestSecrets.SECRET), agent.stdout());
    }
  }

  @Test
  void shouldSignWithTheFirstSecretWhenGivenARotation() throws Exception {
    try (VerifyingUdpReceiver doppler = new VerifyingUdpReceiver(TestSecrets.NEXT);
        AgentProcess agent =
            AgentProcess.startExactly(
                "run",
                "--app-id",
                "app-1",
                "--shared-secret",
                TestSecrets.NEXT + "," + TestSecrets.SECRET,
                "--dopplers",
                doppler.address(),
                "--",
                "sh",
                "-c",
                "echo new; echo secret")) {
      assertEquals(0, agent.waitForExit(), agent.stderr());
      assertEquals(List.of("new", "secret"), logLines(doppler), "a receiver of NEW gets them");
      assertEquals(0, doppler.badSignatures(), "every datagram is signed with NEW");
      DatagramSignature old = new DatagramSignature(TestSecrets.SECRET);
      assertFalse(doppler.datagrams().isEmpty());
      for (byte[] datagram : doppler.datagrams()) {
        assertFalse(old.verify(datagram, 0, datagram.length), "none is signed with OLD");
      }
    }
  }

  private static List<String> logLines(VerifyingUdpReceiver doppler) throws Exception {
    return doppler.receive(100, 1_000).stream()
        .map(AgentProcessIT::parse)
        .filter(Envelope::hasLogMessage)
        .map(e -> e.getLogMessage().getMessage().toStringUtf8())
        .toList();
  }
}
