package org.loggregator.cli.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Just enough of an RFC 6455 server for tests: each accepted connection is handled by the next
 * {@link Script} in its queue (reject with a status, or accept and write frames). Server frames are
 * unmasked; what the client sends after the handshake is read and discarded.
 */
final class TinyWebSocketServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** One handshake as received. */
  record Handshake(String path, Map<String, String> headers) {}

  /** What to do with one connection. */
  interface Script {
    /** The HTTP status to answer the handshake with: 101 accepts. */
    int status();

    /** After a 101: write frames through {@code frames}, then return to close the socket. */
    default void run(Frames frames) throws IOException, InterruptedException {}

    /** The subprotocol the 101 agrees to, or null for none. */
    default String subprotocol() {
      return null;
    }
  }

  /** Writes frames on one accepted connection. */
  static final class Frames {
    private final OutputStream out;

    Frames(OutputStream out) {
      this.out = out;
    }

    void binary(byte[] payload) throws IOException {
      frame(0x82, payload);
    }

    /** A binary message in two frames: the start and a continuation. */
    void binaryInTwoParts(byte[] payload) throws IOException {
      int half = payload.length / 2;
      frame(0x02, java.util.Arrays.copyOfRange(payload, 0, half));
      frame(0x80, java.util.Arrays.copyOfRange(payload, half, payload.length));
    }

    void text(String text) throws IOException {
      frame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    void ping() throws IOException {
      frame(0x89, new byte[] {'p'});
    }

    void close(int code) throws IOException {
      frame(0x88, new byte[] {(byte) (code >> 8), (byte) code});
    }

    private void frame(int first, byte[] payload) throws IOException {
      out.write(first);
      if (payload.length < 126) {
        out.write(payload.length);
      } else if (payload.length < 65536) {
        out.write(126);
        out.write(payload.length >> 8);
        out.write(payload.length);
      } else {
        out.write(127);
        for (int i = 7; i >= 0; i--) {
          out.write((int) ((long) payload.length >> (8 * i)));
        }
      }
      out.write(payload);
      out.flush();
    }
  }

  private final ServerSocket server;
  private final BlockingQueue<Script> scripts = new LinkedBlockingQueue<>();
  final List<Handshake> handshakes = Collections.synchronizedList(new ArrayList<>());
  private final Thread acceptor;

  TinyWebSocketServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "tiny-websocket-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** The next connection runs {@code script}. */
  TinyWebSocketServer then(Script script) {
    scripts.add(script);
    return this;
  }

  static Script rejecting(int status) {
    return () -> status;
  }

  interface FrameWriter {
    void write(Frames frames) throws IOException, InterruptedException;
  }

  static Script accepting(FrameWriter writer) {
    return acceptingWith(null, writer);
  }

  /** Accepts, agreeing to {@code subprotocol} (null: none), and writes frames. */
  static Script acceptingWith(String subprotocol, FrameWriter writer) {
    return new Script() {
      @Override
      public int status() {
        return 101;
      }

      @Override
      public void run(Frames frames) throws IOException, InterruptedException {
        writer.write(frames);
      }

      @Override
      public String subprotocol() {
        return subprotocol;
      }
    };
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread handler = new Thread(() -> handle(socket), "tiny-websocket-connection");
        handler.setDaemon(true);
        handler.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void handle(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      Handshake handshake = readHandshake(in);
      handshakes.add(handshake);
      Script script = scripts.take();
      int status = script.status();
      if (status != 101) {
        out.write(
            ("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return;
      }
      String key = handshake.headers().get("sec-websocket-key");
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + (script.subprotocol() == null
                      ? ""
                      : "\r\nSec-WebSocket-Protocol: " + script.subprotocol())
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread drain =
          new Thread(
              () -> {
                try {
                  in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                  // the socket closed
                }
              });
      drain.setDaemon(true);
      drain.start();
      script.run(new Frames(out));
    } catch (Exception e) {
      // the test sees the outcome on the client side
    }
  }

  private static Handshake readHandshake(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
    String path = lines[0].split(" ")[1];
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Handshake(path, headers);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
