package org.loggregator.agent.it;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child of the process tests: writes N lines of about 100 bytes to stdout as fast as it can,
 * then writes how long that took (nanoseconds, final flush included) to the file it is given.
 *
 * <p>Usage: {@code LineWriter LINES TIMING_FILE}
 */
public final class LineWriter {

  private LineWriter() {}

  public static void main(String[] args) throws IOException {
    int lines = Integer.parseInt(args[0]);
    Path timing = Path.of(args[1]);
    byte[] filler =
        " the quick brown fox jumps over the lazy dog, then logs about it at length ok\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] number = new byte[16];
    OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
    long start = System.nanoTime();
    for (int i = 0; i < lines; i++) {
      int p = number.length;
      int v = i;
      do {
        number[--p] = (byte) ('0' + v % 10);
        v /= 10;
      } while (v != 0);
      out.write("line ".getBytes(StandardCharsets.US_ASCII), 0, 5);
      out.write(number, p, number.length - p);
      out.write(filler);
    }
    out.flush();
    long elapsed = System.nanoTime() - start;
    Files.writeString(timing, Long.toString(elapsed));
  }
}
