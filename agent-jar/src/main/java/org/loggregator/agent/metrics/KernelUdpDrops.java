package org.loggregator.agent.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads how many datagrams the kernel dropped on the UDP sockets bound to one local port: the
 * {@code drops} column of {@code /proc/net/udp} and {@code /proc/net/udp6} (Linux). Each read
 * parses those files, so call it when reporting, never per datagram. Elsewhere it reads 0.
 */
public final class KernelUdpDrops {

  private final int port;
  private final List<Path> tables;

  public KernelUdpDrops(int port) {
    this(port, List.of(Path.of("/proc/net/udp"), Path.of("/proc/net/udp6")));
  }

  KernelUdpDrops(int port, List<Path> tables) {
    this.port = port;
    this.tables = tables;
  }

  /** The sum of the drops of every socket bound to the port, as the kernel counts them now. */
  public long drops() {
    String portHex = String.format(Locale.ROOT, ":%04X", port);
    long sum = 0;
    for (Path table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table);
      } catch (IOException | SecurityException e) {
        continue;
      }
      for (int i = 1; i < lines.size(); i++) {
        String[] f = lines.get(i).trim().split("\\s+");
        if (f.length >= 13 && f[1].endsWith(portHex)) {
          try {
            sum += Long.parseLong(f[12]);
          } catch (NumberFormatException e) {
            // a format this reader does not know: count nothing for that line
          }
        }
      }
    }
    return sum;
  }
}
