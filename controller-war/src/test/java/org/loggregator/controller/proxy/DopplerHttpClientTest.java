package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.config.HostPort;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;

/** The controller's requests to a doppler, against a doppler made of a real socket. */
class DopplerHttpClientTest {
  private static final String SECRET = "a-test-secret-of-at-least-32-bytes-0123456789";
  private static final RequestSignature SIGNATURE = new RequestSignature(SECRET);
  private static final Duration CONNECT = Duration.ofSeconds(2);

  private final DopplerHttpClient client = new DopplerHttpClient(SIGNATURE, CONNECT);
  private final List<Socket> accepted = new ArrayList<>();
  private final CountDownLatch finished = new CountDownLatch(1);
  private ServerSocket server;

  /** What the fake doppler does with one request: its headers (lowercase names) and body. */
  private interface Answering {
    void answer(String requestLine, Map<String, String> headers, byte[] body, OutputStream out)
        throws IOException, InterruptedException;
  }

  private DopplerAddress doppler(Answering answering) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    CompletableFuture.runAsync(
        () -> {
          try (Socket socket = server.accept()) {
            synchronized (accepted) {
              accepted.add(socket);
            }
            InputStream in = socket.getInputStream();
            String requestLine = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; !(h = line(in)).isEmpty(); ) {
              int colon = h.indexOf(':');
              headers.put(
                  h.substring(0, colon).toLowerCase(Locale.ROOT), h.substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            answering.answer(requestLine, headers, in.readNBytes(length), socket.getOutputStream());
          } catch (IOException | InterruptedException e) {
            // the client went away
          }
        });
    int port = server.getLocalPort();
    return new DopplerAddress(
        "z1", new HostPort("127.0.0.1", 8081), URI.create("http://127.0.0.1:" + port));
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @AfterEach
  void closeTheDoppler() throws IOException {
    finished.countDown();
    if (server != null) {
      server.close();
    }
    synchronized (accepted) {
      for (Socket socket : accepted) {
        socket.close();
      }
    }
  }

  private static long deadlineIn(long millis) {
    return System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void shouldReadTheEnvelopesWhenTheDopplerAnswersASignedRequest() throws Exception {
    String path = "/apps/app-1/recentlogs";
    List<String> verdicts = new ArrayList<>();
    DopplerAddress doppler =
        doppler(
            (requestLine, headers, body, out) -> {
              verdicts.add(
                  SIGNATURE
                      .verify(
                          headers.get(RequestSignature.HEADER.toLowerCase(Locale.ROOT)),
                          RequestSignature.Request.get(path),
                          System.currentTimeMillis() / 1000)
                      .verdict()
                      .name());
              String boundary = MultipartEnvelopes.newBoundary();
              byte[] multipart =
                  MultipartEnvelopes.toBytes(List.of(new byte[] {1, 2}, new byte[] {3}), boundary);
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Type: "
                          + MultipartEnvelopes.contentType(boundary)
                          + "\r\nContent-Length: "
                          + multipart.length
                          + "\r\nConnection: close\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
              out.write(multipart);
              out.flush();
            });

    List<byte[]> envelopes = client.get(doppler, path, deadlineIn(5_000));

    assertEquals(List.of("OK"), verdicts);
    assertEquals(2, envelopes.size());
    assertArrayEquals(new byte[] {1, 2}, envelopes.get(0));
    assertArrayEquals(new byte[] {3}, envelopes.get(1));
  }

  @Test
  void shouldGiveUpByTheDeadlineWhenTheDopplerAcceptsButNeverAnswers() throws Exception {
    DopplerAddress doppler = doppler((requestLine, headers, body, out) -> finished.await());

    IOException e =
        assertThrows(
            IOException.class, () -> client.get(doppler, "/apps/a/recentlogs", deadlineIn(300)));

    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
  }

  @Test
  void shouldGiveUpByTheDeadlineWhenTheDopplerDripsItsAnswerAByteAtATime() throws Exception {
    DopplerAddress doppler =
        doppler(
            (requestLine, headers, body, out) -> {
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Type: multipart/mixed; boundary=b\r\n"
                          + "Content-Length: 100000\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
              for (int i = 0; i < 100_000 && !finished.await(50, TimeUnit.MILLISECONDS); i++) {
                out.write('x');
                out.flush();
              }
            });

    IOException e =
        assertThrows(
            IOException.class, () -> client.get(doppler, "/apps/a/recentlogs", deadlineIn(300)));

    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
  }

  @Test
  void shouldRefuseAnAnswerWhenItIsLongerThanTheLimit() throws IOException {
    byte[] exactly = new byte[DopplerHttpClient.MAX_TEXT];
    byte[] longer = new byte[DopplerHttpClient.MAX_TEXT + 1];

    assertEquals(
        exactly.length,
        DopplerHttpClient.read(new ByteArrayInputStream(exactly), exactly.length, deadlineIn(5_000))
            .length);
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                DopplerHttpClient.read(
                    new ByteArrayInputStream(longer), exactly.length, deadlineIn(5_000)));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
  }

  @Test
  void shouldSignTheBodyAndReadTheRefusalWhenAnAdminRequestIsRefused() throws Exception {
    String path = "/admin/apps/app-1/drains";
    byte[] sent = "syslog://logs.example.com:514\n".getBytes(StandardCharsets.UTF_8);
    List<String> verdicts = new ArrayList<>();
    DopplerAddress doppler =
        doppler(
            (requestLine, headers, body, out) -> {
              RequestSignature.Request request =
                  new RequestSignature.Request("PUT", path, "", "").withBody(body);
              verdicts.add(
                  SIGNATURE
                      .verify(
                          headers.get(RequestSignature.HEADER.toLowerCase(Locale.ROOT)),
                          request,
                          System.currentTimeMillis() / 1000)
                      .verdict()
                      .name());
              verdicts.add(
                  String.valueOf(
                      request
                          .content()
                          .equals(
                              headers.get(
                                  RequestSignature.CONTENT_HEADER.toLowerCase(Locale.ROOT)))));
              byte[] text = "Drain URLs must be syslog.\n".getBytes(StandardCharsets.UTF_8);
              out.write(
                  ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: "
                          + text.length
                          + "\r\nConnection: close\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1));
              out.write(text);
              out.flush();
            });

    DopplerHttpClient.Answer answer = client.send(doppler, "PUT", path, sent, deadlineIn(5_000));

    assertEquals(List.of("OK", "true"), verdicts);
    assertEquals(400, answer.status());
    assertEquals("Drain URLs must be syslog.", answer.text());
  }
}
