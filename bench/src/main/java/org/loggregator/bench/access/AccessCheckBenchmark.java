package org.loggregator.bench.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.loggregator.access.RouteTable;
import org.loggregator.bench.StandardRun;
import org.loggregator.controller.auth.TokenRefusedException;
import org.loggregator.controller.auth.TokenVerifier;
import org.loggregator.controller.config.TokenSettings;
import org.loggregator.controller.web.ControllerRoutes;
import org.loggregator.protocol.RequestSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * What access control costs per request (never per envelope: it runs once per HTTP request or
 * WebSocket handshake): matching a path to the route table, verifying an RS256 and an ES256 bearer
 * token the verifier has not seen (each operation another of {@value #TOKENS} tokens, more than it
 * keeps) and one it verified just before, and verifying a controller's signature on a doppler
 * request.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AccessCheckBenchmark extends StandardRun {
  private static final String PATH = "/apps/6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab/stream";
  static final int TOKENS = 5000;

  private TokenVerifier verifier;
  private final String[] rs256 = new String[TOKENS];
  private final String[] es256 = new String[TOKENS];
  private int next;
  private RequestSignature signature;
  private RequestSignature.Request request;
  private String header;

  @Setup
  public void keysAndTokens() throws JOSEException {
    RSAKey rsa = new RSAKeyGenerator(2048).generate();
    ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
    TokenSettings settings =
        new TokenSettings(
            "unused",
            null,
            false,
            "loggregator",
            List.of("loggregator"),
            Duration.ofSeconds(60),
            "app_ids");
    verifier =
        new TokenVerifier(
            new ImmutableJWKSet<>(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK()))),
            settings);
    for (int i = 0; i < TOKENS; i++) {
      JWTClaimsSet claims =
          new JWTClaimsSet.Builder()
              .issuer("loggregator")
              .audience("loggregator")
              .subject("bench-" + i)
              .expirationTime(new Date(System.currentTimeMillis() + 3_600_000))
              .claim("app_ids", List.of("6f1c2a3b-9a7e-4d2b-8f0e-1234567890ab"))
              .claim("scope", "logs.read")
              .build();
      SignedJWT r = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
      r.sign(new RSASSASigner(rsa));
      rs256[i] = r.serialize();
      SignedJWT e = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), claims);
      e.sign(new ECDSASigner(ec));
      es256[i] = e.serialize();
    }
    signature = new RequestSignature("bench-secret-0123456789abcdef0123456789");
    request = RequestSignature.Request.get(PATH).withSubprotocols("loggregator.envelope-batch.v1");
    header = signature.header(request, System.currentTimeMillis() / 1000);
  }

  @Benchmark
  public Object routeOfACanonicalPath() {
    String path = RouteTable.canonicalPath(PATH, "", PATH);
    return ControllerRoutes.TABLE.resolve("GET", path, name -> List.of());
  }

  @Benchmark
  public Object rs256Token() throws TokenRefusedException {
    next = (next + 1) % TOKENS;
    return verifier.verify(rs256[next]);
  }

  @Benchmark
  public Object es256Token() throws TokenRefusedException {
    next = (next + 1) % TOKENS;
    return verifier.verify(es256[next]);
  }

  /** A token verified just before, as a request's endpoint sees it after its filter. */
  @Benchmark
  public Object tokenVerifiedBefore() throws TokenRefusedException {
    return verifier.verify(es256[0]);
  }

  @Benchmark
  public Object dopplerRequestSignature() {
    return signature.verify(header, request, System.currentTimeMillis() / 1000);
  }
}
