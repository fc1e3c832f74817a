package org.loggregator.agent.forward;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.TestSecrets;

class SenderWarmUpTest {

  @Test
  void shouldRunTheWholeSenderPathWithoutSendingWhenWarmingUp() {
    long result = SenderWarmUp.run(new DatagramSignature(TestSecrets.SECRET), 1_000);
    assertNotEquals(0, result, "the rounds ran and produced signed lengths");
  }
}
