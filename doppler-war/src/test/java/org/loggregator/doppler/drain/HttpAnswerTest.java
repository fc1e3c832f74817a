package org.loggregator.doppler.drain;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
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

  /**
   * A drain that sends {@code head} and then {@code forever} again and again; counts what is read.
   */
  private static final class Endless extends InputStream {
    private final byte[] head;
    private final byte[] forever;
    long read;

    Endless(String head, String forever) {
      this.head = head.getBytes(StandardCharsets.ISO_8859_1);
      this.forever = forever.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    public int read() {
      long i = read++;
      return i < head.length
          ? head[(int) i] & 0xff
          : forever[(int) ((i - head.length) % forever.length)] & 0xff;
    }
  }

  @Test
  void shouldStopReadingAChunkedBodyThatNeverEndsAndNotReuseTheConnection() throws Exception {
    Endless drain =
        new Endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", "1\r\nx\r\n");

    assertEquals(new HttpAnswer(200, false), HttpAnswer.read(new BufferedInputStream(drain)));
    assertTrue(drain.read < HttpAnswer.MAX_BODY + 2 * 8192, "read " + drain.read);
  }

  @Test
  void shouldCountChunkExtensionsAndEmptyLinesAgainstTheBodyWhenChunked() throws Exception {
    Endless drain =
        new Endless(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
            "1;" + "e".repeat(8000) + "\r\nx\r\n");

    assertFalse(HttpAnswer.read(new BufferedInputStream(drain)).reusable());
    assertTrue(drain.read < HttpAnswer.MAX_BODY + 2 * 8192, "read " + drain.read);
  }

  @Test
  void shouldFailAfterAFewInterimAnswersWhenTheyNeverStop() {
    Endless drain = new Endless("", "HTTP/1.1 100 Continue\r\nX: y\r\n\r\n");

    IOException e = assertThrows(IOException.class, () -> HttpAnswer.read(drain));

    assertTrue(e.getMessage().contains("interim"), e.getMessage());
    assertTrue(drain.read < 1000, "read " + drain.read);
  }

  @Test
  void shouldFailWithinTheLimitsWhenHeadersOrALineNeverEnd() {
    Endless headers = new Endless("HTTP/1.1 200 OK\r\n", "X-Padding: " + "p".repeat(100) + "\r\n");
    Endless line = new Endless("HTTP/1.1 200 OK\r\nX-Padding: ", "p");
    Endless trailers =
        new Endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n", "T: t\r\n");

    assertThrows(IOException.class, () -> HttpAnswer.read(headers));
    assertThrows(IOException.class, () -> HttpAnswer.read(line));
    assertThrows(IOException.class, () -> HttpAnswer.read(trailers));
    assertTrue(headers.read < 101 * 120, "read " + headers.read);
    assertTrue(line.read <= 2 * 8192, "read " + line.read);
    assertTrue(trailers.read < 1000, "read " + trailers.read);
  }

  @Test
  void shouldRefuseAStatusLineOfGarbageWhenItIsNotHttpOne() {
    for (String garbage :
        new String[] {
          "HTTP/1.1 2000 OK\r\n\r\n",
          "HTTP/1.1 20 OK\r\n\r\n",
          "HTTP/1.1 abc OK\r\n\r\n",
          "HTTP/2 200\r\n\r\n",
          "ICY 200 OK\r\n\r\n",
          "\u0000\u0001\u00ff\r\n\r\n",
          "\r\n",
          " HTTP/1.1 200 OK\r\n\r\n"
        }) {
      IOException e = assertThrows(IOException.class, () -> HttpAnswer.read(stream(garbage)));
      assertEquals("The drain did not answer HTTP/1.1.", e.getMessage(), garbage);
    }
  }

  @Test
  void shouldNotReadAHugeBodyOrAcceptAnInvalidLengthWhenTheDrainClaimsOne() {
    assertFalse(
        assertDoesNotThrow(
                () ->
                    HttpAnswer.read(
                        stream("HTTP/1.1 200 OK\r\nContent-Length: 999999999999999999\r\n\r\n")))
            .reusable());
    for (String length : new String[] {"9999999999999999999", "-1", "1e3", "0x10", ""}) {
      assertThrows(
          IOException.class,
          () ->
              HttpAnswer.read(stream("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\n\r\n")),
          length);
    }
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
