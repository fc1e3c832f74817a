package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.loggregator.access.Refusal;

/**
 * A JWKS URL's keys as {@link TokenKeys#remote} fetches them from a server on 127.0.0.1 whose
 * document the test changes and whose requests it counts.
 */
class JwksRotationTest {
  private static final RSAKey KEY_A = TestTokens.rsaKey("key-a");
  private static final RSAKey KEY_B = TestTokens.rsaKey("key-b");
  private static final RSAKey UNPUBLISHED = TestTokens.rsaKey("key-unpublished");

  private final AtomicReference<byte[]> document = new AtomicReference<>();
  private final AtomicInteger status = new AtomicInteger(200);
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean silent = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private HttpServer server;
  private TokenVerifier verifier;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/jwks.json",
        exchange -> {
          requests.incrementAndGet();
          if (silent.get()) {
            try {
              stopped.await(); // accepts the request and never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          byte[] body = document.get();
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(status.get(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
    verifier =
        new TokenVerifier(
            TokenKeys.remote(url),
            TestTokens.settings(),
            TestTokens.clockAt(TestTokens.NOW_MILLIS));
  }

  @AfterEach
  void stopServer() {
    stopped.countDown();
    server.stop(0);
  }

  private void serve(RSAKey... keys) {
    serve(new JWKSet(java.util.List.of(keys)).toPublicJWKSet().toString());
  }

  private void serve(String json) {
    document.set(json.getBytes(StandardCharsets.UTF_8));
  }

  /** A JWKS document holding the keys and a member of {@code paddingBytes} characters. */
  private static String padded(RSAKey key, int paddingBytes) {
    String keys = new JWKSet(key.toPublicJWK()).toString();
    return keys.substring(0, keys.length() - 1)
        + ",\"padding\":\""
        + "x".repeat(paddingBytes)
        + "\"}";
  }

  private static String tokenOf(RSAKey key) {
    return TestTokens.rs256(key, TestTokens.usualClaims().build());
  }

  private Refusal refusalOf(String token) {
    return assertThrows(TokenRefusedException.class, () -> verifier.verify(token)).reason();
  }

  @Test
  void shouldVerifyFromTheCacheWhenTheKidIsKnown() throws Exception {
    serve(KEY_A);

    for (int i = 0; i < 10; i++) {
      assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_A)).appIds());
    }

    assertEquals(1, requests.get());
  }

  @Test
  void shouldFetchTheKeysAgainWhenATokenNamesAKidNotInTheCachedSet() throws Exception {
    serve(KEY_A);
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_A)).appIds());
    assertEquals(1, requests.get());

    serve(KEY_B);

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_B)).appIds());
    assertEquals(2, requests.get());
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_B)).appIds());
    assertEquals(2, requests.get());
  }

  @Test
  void shouldFetchAtMostTwiceWhenManyTokensNameAnUnknownKid() throws Exception {
    serve(KEY_A);
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_A)).appIds());

    for (int i = 0; i < 50; i++) {
      assertEquals(Refusal.BAD_SIGNATURE, refusalOf(tokenOf(UNPUBLISHED)));
    }

    assertTrue(
        requests.get() <= 2,
        () -> "two fetches per " + TokenKeys.MIN_REFRESH + " at most, not " + requests.get());
    int fetched = requests.get();
    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_A)).appIds());
    assertEquals(fetched, requests.get(), "the known key still comes from the cache");
  }

  @Test
  void shouldRefuseWithKeysUnavailableWhenTheJwksResponseIsOver256KiB() {
    serve(padded(KEY_A, 300 * 1024));

    assertEquals(Refusal.KEYS_UNAVAILABLE, refusalOf(tokenOf(KEY_A)));
  }

  @Test
  void shouldAcceptTheJwksResponseWhenItIsLargeButWithin256KiB() throws Exception {
    serve(padded(KEY_A, 200 * 1024));

    assertEquals(Set.of("app-1", "app-2"), verifier.verify(tokenOf(KEY_A)).appIds());
  }

  @Test
  void shouldRefuseWithKeysUnavailableWhenTheJwksServerAnswersAnError() {
    serve(KEY_A);
    status.set(500);

    assertEquals(Refusal.KEYS_UNAVAILABLE, refusalOf(tokenOf(KEY_A)));
  }

  @Test
  void shouldRefuseWithKeysUnavailableWhenTheJwksServerAcceptsButNeverAnswers() {
    serve(KEY_A);
    silent.set(true);

    assertEquals(Refusal.KEYS_UNAVAILABLE, refusalOf(tokenOf(KEY_A)));
  }

  @Test
  void shouldRefuseWithKeysUnavailableWhenTheJwksDocumentIsNotAKeySet() {
    serve("<html>sign in</html>");

    assertEquals(Refusal.KEYS_UNAVAILABLE, refusalOf(tokenOf(KEY_A)));
  }
}
