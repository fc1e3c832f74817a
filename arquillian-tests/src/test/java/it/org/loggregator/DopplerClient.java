package it.org.loggregator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.loggregator.protocol.DatagramSignature;
import org.loggregator.protocol.EnvelopeBatch;
import org.loggregator.protocol.MultipartEnvelopes;
import org.loggregator.protocol.RequestSignature;

/** Talks to the doppler on the test server as agents and controllers do. */
final class DopplerClient implements AutoCloseable {
  /** The test servers' shared secret (their server.xml, and LocalTopology's servers). */
  static final String SECRET = org.loggregator.protocol.TestSecrets.SECRET;

  static final int UDP_PORT = 13458;
  static final String CONTEXT = "/doppler";

  private final DatagramSocket socket;
  private final DatagramSignature signature;
  private final RequestSignature requestSignature;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  DopplerClient() {
    this(UDP_PORT);
  }

  /** Sends signed datagrams to another UDP port, such as a controller's inbound port. */
  DopplerClient(int udpPort) {
    this(udpPort, SECRET);
  }

  /** Signs with another secret, such as a topology's own. */
  DopplerClient(int udpPort, String secret) {
    signature = new DatagramSignature(secret);
    requestSignature = new RequestSignature(secret);
    try {
      socket = new DatagramSocket();
      socket.connect(new InetSocketAddress("127.0.0.1", udpPort));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one envelope, signed, as an agent does. */
  void sendSigned(byte[] envelope) {
    sendRaw(signature.sign(envelope, 0, envelope.length));
  }

  /** Sends a datagram exactly as given. */
  void sendRaw(byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A controller's signature of a GET of {@code path} (after the context root), no subprotocol. */
  String signatureFor(String path) {
    return signatureFor(RequestSignature.Request.get(path));
  }

  String signatureFor(RequestSignature.Request request) {
    return requestSignature.header(request, System.currentTimeMillis() / 1000);
  }

  /** GETs a doppler path (after the context root), signed unless {@code header} is given. */
  HttpResponse<byte[]> get(String path, String header) {
    String full = CONTEXT + path;
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestServer.HTTP_PORT + full))
            .timeout(Duration.ofSeconds(20));
    if (header == null) {
      request.header(RequestSignature.HEADER, signatureFor(path));
    } else if (!header.isEmpty()) {
      request.header(RequestSignature.HEADER, header);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The envelopes of a signed multipart GET. */
  List<byte[]> getEnvelopes(String path) {
    HttpResponse<byte[]> response = get(path, null);
    if (response.statusCode() != 200) {
      throw new AssertionError("GET " + path + " answered " + response.statusCode());
    }
    String boundary =
        MultipartEnvelopes.boundaryOf(response.headers().firstValue("Content-Type").orElse(""));
    return MultipartEnvelopes.parse(response.body(), boundary);
  }

  /** Opens a signed WebSocket to a doppler path; {@code reading} false leaves it unread. */
  Subscription subscribe(String path, boolean reading) {
    String full = CONTEXT + path;
    return Subscription.open(
        http,
        websocketUri(full),
        java.util.Map.of(RequestSignature.HEADER, signatureFor(path)),
        reading);
  }

  /** Opens a signed WebSocket to a doppler path asking for envelope batches, as controllers do. */
  Subscription subscribeBatched(String path) {
    String full = CONTEXT + path;
    return Subscription.open(
        http,
        websocketUri(full),
        java.util.Map.of(
            RequestSignature.HEADER,
            signatureFor(
                RequestSignature.Request.get(path).withSubprotocols(EnvelopeBatch.SUBPROTOCOL))),
        true,
        EnvelopeBatch.SUBPROTOCOL);
  }

  /** Tries to open a WebSocket with the given signature header (or none), expecting failure. */
  Throwable subscribeFailure(String path, String header) {
    String full = CONTEXT + path;
    return Subscription.failure(
        http,
        websocketUri(full),
        header == null ? java.util.Map.of() : java.util.Map.of(RequestSignature.HEADER, header));
  }

  static URI websocketUri(String path) {
    return URI.create("ws://127.0.0.1:" + TestServer.HTTP_PORT + path);
  }

  @Override
  public void close() {
    socket.close();
  }

  /** One live WebSocket: collects each binary message whole (an envelope, or a batch of them). */
  static final class Subscription implements WebSocket.Listener {
    final BlockingQueue<byte[]> envelopes = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private volatile boolean reading;
    volatile WebSocket webSocket;

    Subscription(boolean reading) {
      this.reading = reading;
    }

    /** Opens a WebSocket with these request headers; fails the test if it cannot. */
    static Subscription open(
        HttpClient http, URI uri, java.util.Map<String, String> headers, boolean reading) {
      return open(http, uri, headers, reading, null);
    }

    /** Opens a WebSocket asking for {@code subprotocol} (null: none). */
    static Subscription open(
        HttpClient http,
        URI uri,
        java.util.Map<String, String> headers,
        boolean reading,
        String subprotocol) {
      Subscription subscription = new Subscription(reading);
      WebSocket.Builder builder = http.newWebSocketBuilder();
      headers.forEach(builder::header);
      if (subprotocol != null) {
        builder.subprotocols(subprotocol);
      }
      try {
        subscription.webSocket = builder.buildAsync(uri, subscription).get(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot open " + uri + ": " + e, e);
      }
      return subscription;
    }

    /** Tries to open a WebSocket, expecting the handshake to be refused; null if it opened. */
    static Throwable failure(HttpClient http, URI uri, java.util.Map<String, String> headers) {
      WebSocket.Builder builder = http.newWebSocketBuilder();
      headers.forEach(builder::header);
      try {
        builder.buildAsync(uri, new Subscription(true)).get(20, TimeUnit.SECONDS).abort();
        return null;
      } catch (Exception e) {
        return e;
      }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      if (reading) {
        webSocket.request(Long.MAX_VALUE);
      }
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      partial.write(bytes, 0, bytes.length);
      if (last) {
        envelopes.add(partial.toByteArray());
        partial.reset();
      }
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
    }

    /** Starts reading a subscription opened unread. */
    void startReading() {
      reading = true;
      webSocket.request(Long.MAX_VALUE);
    }

    /** The next envelope, waiting at most {@code seconds}; null if none came. */
    byte[] next(int seconds) throws InterruptedException {
      return envelopes.poll(seconds, TimeUnit.SECONDS);
    }

    void close() {
      if (webSocket != null) {
        webSocket.abort();
      }
    }
  }
}
