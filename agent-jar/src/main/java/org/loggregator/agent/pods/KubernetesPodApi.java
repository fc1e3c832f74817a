package org.loggregator.agent.pods;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Asks the Kubernetes API for one pod ({@code GET /api/v1/namespaces/NS/pods/NAME}) with the
 * in-cluster service account, over TLS verified against the cluster's CA only, and turns the answer
 * into a {@link PodAnswer}. Bounded: one request at a time from the caller's thread, a deadline of
 * {@value #TIMEOUT_SECONDS} s from connecting to the last byte, at most {@value #MAX_BODY_BYTES}
 * bytes of answer; no redirect is followed.
 *
 * <p>It asks for the pod's metadata only ({@code PartialObjectMetadata}), with the full Pod as the
 * fallback an older server answers; both carry {@code metadata.labels}. The token is read from the
 * service-account directory for every request, since the kubelet rotates it; the CA once, at start.
 */
final class KubernetesPodApi implements PodAppIds.Lookup {

  static final int TIMEOUT_SECONDS = 5;
  static final int MAX_BODY_BYTES = 2 << 20;
  private static final int MAX_TOKEN_BYTES = 64 << 10;
  private static final int MAX_CA_BYTES = 1 << 20;
  private static final String ACCEPT =
      "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json";

  private final URI api;
  private final Path tokenFile;
  private final String label;
  private final HttpClient client;

  private KubernetesPodApi(URI api, Path tokenFile, String label, HttpClient client) {
    this.api = api;
    this.tokenFile = tokenFile;
    this.label = label;
    this.client = client;
  }

  /** Why the API client cannot be made; its message is one sentence for the operator. */
  static final class SetupException extends Exception {
    private static final long serialVersionUID = 1L;

    SetupException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * A client of the API at {@code api} (https) that trusts the CA certificates of {@code
   * serviceAccountDir/ca.crt} and sends the bearer token of {@code serviceAccountDir/token}, which
   * must be readable now.
   */
  static KubernetesPodApi open(URI api, Path serviceAccountDir, String label)
      throws SetupException {
    Path caFile = serviceAccountDir.resolve("ca.crt");
    Path tokenFile = serviceAccountDir.resolve("token");
    SSLContext tls;
    try {
      byte[] pem = readBounded(caFile, MAX_CA_BYTES);
      Collection<? extends Certificate> cas =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (cas.isEmpty()) {
        throw new SetupException(caFile + " holds no certificate (--service-account-dir).");
      }
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate ca : cas) {
        trusted.setCertificateEntry("kubernetes-ca-" + i++, ca);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      tls = SSLContext.getInstance("TLS");
      tls.init(null, trust.getTrustManagers(), null);
    } catch (IOException e) {
      throw new SetupException(
          "Cannot read the cluster's CA certificate "
              + caFile
              + " (--service-account-dir): "
              + reason(e)
              + ".");
    } catch (GeneralSecurityException e) {
      throw new SetupException(
          caFile + " holds no usable CA certificate (--service-account-dir): " + reason(e) + ".");
    }
    try {
      readToken(tokenFile);
    } catch (IOException e) {
      throw new SetupException(
          "Cannot read the service account's token "
              + tokenFile
              + " (--service-account-dir): "
              + reason(e)
              + ".");
    }
    HttpClient client =
        HttpClient.newBuilder()
            .sslContext(tls)
            .connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    return new KubernetesPodApi(api, tokenFile, label, client);
  }

  @Override
  public PodAnswer lookup(PodRef pod) throws InterruptedException {
    String token;
    try {
      token = readToken(tokenFile);
    } catch (IOException e) {
      return PodAnswer.retry("cannot read the token " + tokenFile + ": " + reason(e));
    }
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve(pod.apiPath()))
            .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .header("Authorization", "Bearer " + token)
            .header("Accept", ACCEPT)
            .GET()
            .build();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client.sendAsync(request, info -> new BoundedBody(MAX_BODY_BYTES));
    HttpResponse<byte[]> response;
    try {
      response = exchange.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true);
      return PodAnswer.retry("the API did not answer within " + TIMEOUT_SECONDS + " s");
    } catch (ExecutionException e) {
      return PodAnswer.retry("the API could not be asked: " + reason(e.getCause()));
    } catch (InterruptedException e) {
      exchange.cancel(true);
      throw e;
    }
    int status = response.statusCode();
    if (status == 404) {
      return PodAnswer.skip("the pod is gone");
    }
    if (status != 200) {
      return PodAnswer.retry(
          "the API answered HTTP "
              + status
              + (status == 401 || status == 403
                  ? " (the service account may not get pods: see the ClusterRole)"
                  : ""));
    }
    return PodAnswer.read(response.body(), label, pod.uid());
  }

  private static String readToken(Path file) throws IOException {
    String token = new String(readBounded(file, MAX_TOKEN_BYTES), StandardCharsets.UTF_8).trim();
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IOException("it is empty or not a token");
    }
    return token;
  }

  private static byte[] readBounded(Path file, int max) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(max + 1);
      if (bytes.length > max) {
        throw new IOException("larger than " + max + " bytes");
      }
      return bytes;
    }
  }

  private static String reason(Throwable e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /**
   * Collects an answer's body up to a maximum; past it, cancels the exchange and fails, so that a
   * huge answer costs at most that much memory.
   */
  static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (body.isDone()) {
        return;
      }
      for (ByteBuffer item : items) {
        if (bytes.size() + item.remaining() > max) {
          subscription.cancel();
          body.completeExceptionally(
              new IOException("its answer is larger than " + max + " bytes"));
          return;
        }
        byte[] chunk = new byte[item.remaining()];
        item.get(chunk);
        bytes.write(chunk, 0, chunk.length);
      }
    }

    @Override
    public void onError(Throwable throwable) {
      body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      body.complete(bytes.toByteArray());
    }
  }
}
