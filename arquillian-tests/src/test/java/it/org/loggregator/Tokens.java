package it.org.loggregator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Date;
import java.util.List;
import java.util.function.UnaryOperator;
import org.loggregator.auth.PemKeys;

/**
 * Bearer tokens for the access-control tests, made with Nimbus JOSE+JWT: valid ones, signed with
 * the server's RSA key or its EC key, and every kind of bad one.
 */
final class Tokens {
  private final KeyPair rsa;
  private final ECKey ec;
  private final KeyPair otherRsa = PemKeys.generate();
  private final ECKey otherEc;

  Tokens(KeyPair rsa) {
    this.rsa = rsa;
    try {
      this.ec = new ECKeyGenerator(Curve.P_256).generate();
      this.otherEc = new ECKeyGenerator(Curve.P_256).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The PEM file the server verifies with: the RSA key, then the EC key. */
  String publicKeysPem() {
    try {
      return PemKeys.encode(PemKeys.PUBLIC, rsa.getPublic().getEncoded())
          + PemKeys.encode(PemKeys.PUBLIC, ec.toECPublicKey().getEncoded());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JWTClaimsSet.Builder claims(List<String> apps, List<String> scopes) {
    long now = System.currentTimeMillis();
    return new JWTClaimsSet.Builder()
        .issuer("loggregator")
        .audience("loggregator")
        .subject("access-it")
        .issueTime(new Date(now))
        .expirationTime(new Date(now + 3_600_000))
        .claim("app_ids", apps)
        .claim("scope", String.join(" ", scopes));
  }

  private String rs256(JWTClaimsSet.Builder claims) {
    return sign(new RSASSASigner(rsa.getPrivate()), JWSAlgorithm.RS256, claims.build());
  }

  private static String sign(JWSSigner signer, JWSAlgorithm alg, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private String rs256(List<String> apps, UnaryOperator<JWTClaimsSet.Builder> change) {
    return rs256(change.apply(claims(apps, List.of("logs.read"))));
  }

  String forApp(String... apps) {
    return rs256(List.of(apps), c -> c);
  }

  String admin() {
    return rs256(claims(List.of(), List.of("logs.read", "loggregator.admin")));
  }

  String firehoseOnly() {
    return rs256(claims(List.of(), List.of("doppler.firehose")));
  }

  String noScope(String app) {
    return rs256(claims(List.of(app), List.of()));
  }

  String expired(String app) {
    long now = System.currentTimeMillis();
    return rs256(
        List.of(app),
        c -> c.issueTime(new Date(now - 7_200_000)).expirationTime(new Date(now - 3_600_000)));
  }

  String notYetValid(String app) {
    return rs256(
        List.of(app), c -> c.notBeforeTime(new Date(System.currentTimeMillis() + 3_600_000)));
  }

  String wrongIssuer(String app) {
    return rs256(List.of(app), c -> c.issuer("https://evil.example"));
  }

  String wrongAudience(String app) {
    return rs256(List.of(app), c -> c.audience("another-service"));
  }

  String noAudience(String app) {
    return rs256(List.of(app), c -> c.audience((String) null));
  }

  String otherKey(String app) {
    return sign(
        new RSASSASigner(otherRsa.getPrivate()),
        JWSAlgorithm.RS256,
        claims(List.of(app), List.of("logs.read")).build());
  }

  String es256(String app) {
    try {
      return sign(
          new ECDSASigner(ec),
          JWSAlgorithm.ES256,
          claims(List.of(app), List.of("logs.read")).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String otherEcKey(String app) {
    try {
      return sign(
          new ECDSASigner(otherEc),
          JWSAlgorithm.ES256,
          claims(List.of(app), List.of("logs.read")).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** ES384 is not an accepted algorithm, even over the right curve's key size. */
  String es384(String app) {
    try {
      ECKey p384 = new ECKeyGenerator(Curve.P_384).generate();
      return sign(
          new ECDSASigner(p384),
          JWSAlgorithm.ES384,
          claims(List.of(app), List.of("logs.read")).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String algNone(String app) {
    return new PlainJWT(claims(List.of(app), List.of("logs.read", "loggregator.admin")).build())
        .serialize();
  }

  /** HS256 keyed with the server's public key: the algorithm-confusion attack. */
  String hmacWithPublicKey(String app) {
    try {
      byte[] secret =
          PemKeys.encode(PemKeys.PUBLIC, rsa.getPublic().getEncoded())
              .getBytes(StandardCharsets.US_ASCII);
      return sign(
          new MACSigner(secret),
          JWSAlgorithm.HS256,
          claims(List.of(app), List.of("logs.read")).build());
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A valid token for another app whose payload was swapped for one naming {@code app}. */
  String tampered(String app) {
    String[] valid = forApp("someone-else").split("\\.");
    String payload =
        Base64URL.encode(
                claims(List.of(app), List.of("logs.read", "loggregator.admin")).build().toString())
            .toString();
    return valid[0] + "." + payload + "." + valid[2];
  }

  String signatureStripped(String app) {
    String token = forApp(app);
    return token.substring(0, token.lastIndexOf('.') + 1);
  }
}
