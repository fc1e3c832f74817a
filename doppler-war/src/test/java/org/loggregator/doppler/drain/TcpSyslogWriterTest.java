package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TcpSyslogWriterTest {
  private final ServerSocket server;
  private final TcpSyslogWriter writer;

  TcpSyslogWriterTest() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    writer = new TcpSyslogWriter("127.0.0.1", server.getLocalPort(), TestGuards.loopbackAllowed());
  }

  @AfterEach
  void close() throws IOException {
    writer.close();
    server.close();
  }

  private static BatchBuffer batchOf(String... envelopesText) {
    BatchBuffer batch = new BatchBuffer(64);
    SyslogFormatter formatter = new SyslogFormatter("loggregator");
    for (String text : envelopesText) {
      byte[] envelope = SyslogFormatterTest.log(text);
      formatter.append(envelope, 0, envelope.length, batch);
    }
    return batch;
  }

  @Test
  void shouldPutTheFramesOnTheConnectionExactlyWhenWritten() throws Exception {
    CompletableFuture<byte[]> received =
        CompletableFuture.supplyAsync(
            () -> {
              try (Socket peer = server.accept();
                  InputStream in = peer.getInputStream()) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    BatchBuffer batch = batchOf("one", "two\nlines");

    writer.connect();
    writer.write(batch);
    writer.close();

    byte[] expected = java.util.Arrays.copyOf(batch.array(), batch.length());
    assertArrayEquals(expected, received.get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldFailBeforeWritingWhenTheDrainHasClosedTheConnection() throws Exception {
    writer.connect();
    server.accept().close();
    Thread.sleep(100);

    EOFException e = assertThrows(EOFException.class, () -> writer.write(batchOf("lost?")));

    assertEquals("The drain closed the connection.", e.getMessage());
  }

  @Test
  void shouldFailToConnectWhenNothingListens() throws Exception {
    int port = server.getLocalPort();
    server.close();
    TcpSyslogWriter nowhere = new TcpSyslogWriter("127.0.0.1", port, TestGuards.loopbackAllowed());

    assertThrows(ConnectException.class, nowhere::connect);
  }

  @Test
  void shouldEndAWriteStalledBySlowDrainWhenClosedFromAnotherThread() throws Exception {
    writer.connect();
    Socket peer = server.accept(); // never reads
    BatchBuffer huge = new BatchBuffer(64);
    byte[] chunk = new byte[1 << 20];
    for (int i = 0; i < 64; i++) {
      huge.ensure(chunk.length);
      huge.put(chunk, 0, chunk.length);
    }
    CompletableFuture<Throwable> outcome =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                writer.write(huge);
                return null;
              } catch (IOException e) {
                return e;
              }
            });
    Thread.sleep(300);

    writer.close();

    assertTrue(outcome.get(10, TimeUnit.SECONDS) instanceof IOException);
    peer.close();
  }
}
