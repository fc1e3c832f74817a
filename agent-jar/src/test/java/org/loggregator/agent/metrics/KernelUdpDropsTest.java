package org.loggregator.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelUdpDropsTest {

  @Test
  void shouldSumTheDropsOfTheSocketsOnThePortWhenReadingProcNetUdp(@TempDir Path dir)
      throws Exception {
    Path udp = dir.resolve("udp");
    Files.writeString(
        udp,
        """
           sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          1: 0100007F:0D81 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12345 2 0000000000000000 17
          2: 0100007F:0D82 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12346 2 0000000000000000 99
        """);
    Path udp6 = dir.resolve("udp6");
    Files.writeString(
        udp6,
        """
           sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
          3: 00000000000000000000000001000000:0D81 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 12347 2 0000000000000000 3
        """);
    assertEquals(20, new KernelUdpDrops(3457, List.of(udp, udp6, dir.resolve("absent"))).drops());
    assertEquals(0, new KernelUdpDrops(9999, List.of(udp)).drops());
  }
}
