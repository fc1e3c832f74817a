package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HttpAnswerTest {

  private static InputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void shouldReadTheStatusAndSkipTheBodyWhenItHasAContentLength() throws Exception {
    InputStream in =
        stream(
            "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
                + "HTTP/1.1 503 Busy\r\ncontent-length: 0\r\n\r\n");

    assertEquals(new HttpAnswer(200, true), HttpAnswer.read(in));
    assertEquals(new HttpAnswer(503, true), HttpAnswer.read(in), "the next answer follows");
  }

  @Test
  void shouldSkipAChunkedBodyAndItsTrailersWhenChunked() throws Exception {
    InputStream in =
        stream(
            "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"
                + "HTTP/1.1 204 No Content\r\n\r\n");

    assertEquals(new HttpAnswer(202, true), HttpAnswer.read(in));
    assertEquals(new HttpAnswer(204, true), HttpAnswer.read(in));
  }

  @Test
  void shouldSkipInterimAnswersWhenTheyComeFirst() throws Exception {
    InputStream in =
        stream("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

    assertEquals(new HttpAnswer(200, true), HttpAnswer.read(in));
  }

  @Test
  void shouldNotReuseTheConnectionWhenTheDrainClosesItOrTheBodyHasNoLength() throws Exception {
    assertEquals(
        new HttpAnswer(200, false),
        HttpAnswer.read(
            stream("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")));
    assertEquals(
        new HttpAnswer(400, false), HttpAnswer.read(stream("HTTP/1.1 400 Bad\r\n\r\nbody")));
    assertEquals(
        new HttpAnswer(200, false),
        HttpAnswer.read(stream("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n")));
    assertEquals(
        new HttpAnswer(200, true),
        HttpAnswer.read(
            stream("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n")));
    assertFalse(
        HttpAnswer.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n")).reusable(),
        "a body over 1 MiB is not read to its end");
  }

  @Test
  void shouldFailWhenTheAnswerIsNotHttpOrEndsEarly() {
    assertThrows(HttpAnswer.NoAnswerException.class, () -> HttpAnswer.read(stream("")));
    assertThrows(EOFException.class, () -> HttpAnswer.read(stream("HTTP/1.1 200 OK\r\n")));
    assertThrows(
        EOFException.class,
        () -> HttpAnswer.read(stream("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort")));
    IOException notHttp =
        assertThrows(IOException.class, () -> HttpAnswer.read(stream("SSH-2.0-OpenSSH\r\n")));
    assertEquals("The drain did not answer HTTP/1.1.", notHttp.getMessage());
    IOException longLine =
        assertThrows(
            IOException.class, () -> HttpAnswer.read(stream("HTTP/1.1 200 " + "x".repeat(9000))));
    assertTrue(longLine.getMessage().contains("longer than"), longLine.getMessage());
    assertThrows(
        IOException.class,
        () -> HttpAnswer.read(stream("HTTP/1.1 200 OK\r\n" + "A: b\r\n".repeat(101) + "\r\n")));
  }
}
