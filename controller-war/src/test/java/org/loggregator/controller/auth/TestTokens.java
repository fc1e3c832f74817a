package org.loggregator.controller.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.loggregator.controller.config.TokenSettings;

/**
 * Mints bearer tokens with Nimbus the way an issuer would (RS256 or ES256, base64url without
 * padding), and by hand the broken ones no issuer would: unsigned, HMAC keyed with a public key,
 * tampered with, truncated, with the wrong number of parts, or with parts that are not base64url or
 * not JSON.
 */
final class TestTokens {
  static final String ISSUER = "loggregator";
  static final String AUDIENCE = "loggregator";

  /** The fixed "now" of the tests, in milliseconds (a whole second). */
  static final long NOW_MILLIS = 1_700_000_000_000L;

  /** The fixed "now" of the tests, in seconds, as JWT dates are written. */
  static final long NOW = NOW_MILLIS / 1000;

  /** The clock skew of {@link #settings()}, in seconds. */
  static final long SKEW = 60;

  /** When the usual token expires, in seconds. */
  static final long EXPIRES = NOW + 3600;

  static final String RS256_HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  /** A new RSA key pair of {@code bits} bits, with no key id. */
  static RSAKey rsaKey(int bits) {
    try {
      return new RSAKeyGenerator(bits, true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new RSA key pair of 2048 bits with this key id. */
  static RSAKey rsaKey(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new EC key pair on {@code curve}, with no key id. */
  static ECKey ecKey(Curve curve) {
    try {
      return new ECKeyGenerator(curve).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The usual settings: issuer and audience {@code loggregator}, 60 s skew, claim app_ids. */
  static TokenSettings settings() {
    return settings("app_ids");
  }

  /** The usual settings with another name for the app-ids claim. */
  static TokenSettings settings(String appIdsClaim) {
    return new TokenSettings(
        "unused.pem",
        null,
        false,
        ISSUER,
        List.of(AUDIENCE, "logs-api"),
        java.time.Duration.ofSeconds(SKEW),
        appIdsClaim);
  }

  /** A clock that always says {@code millis}. */
  static LongSupplier clockAt(long millis) {
    return () -> millis;
  }

  /**
   * Claims of a usual token: issuer, audience, subject, issued an hour before its expiry, app ids
   * and scopes as arrays.
   */
  static JWTClaimsSet.Builder claims(long expiresAt, List<String> appIds, List<String> scopes) {
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .subject("developer")
        .issueTime(new Date((expiresAt - 3600) * 1000))
        .expirationTime(new Date(expiresAt * 1000))
        .jwtID("test-token")
        .claim("app_ids", appIds)
        .claim("scope", scopes);
  }

  /** Claims of the usual token: apps app-1 and app-2, scope logs.read, expiring at EXPIRES. */
  static JWTClaimsSet.Builder usualClaims() {
    return claims(EXPIRES, List.of("app-1", "app-2"), List.of(Grant.LOGS_READ));
  }

  /** An RS256 token with typ JWT. */
  static String rs256(RSAKey key, JWTClaimsSet claims) {
    return sign(header(JWSAlgorithm.RS256, key.getKeyID()), rsaSigner(key), claims);
  }

  /** An ES256 token with typ JWT. */
  static String es256(ECKey key, JWTClaimsSet claims) {
    return sign(header(JWSAlgorithm.ES256, key.getKeyID()), ecSigner(key), claims);
  }

  /** A JWS header of {@code alg}, typ JWT, with the key id when not null. */
  static JWSHeader header(JWSAlgorithm alg, String kid) {
    return new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid).build();
  }

  static JWSSigner rsaSigner(RSAKey key) {
    try {
      return new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static JWSSigner ecSigner(ECKey key) {
    try {
      return new ECDSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token with any header, signed by {@code signer}. */
  static String sign(JWSHeader header, JWSSigner signer, JWTClaimsSet claims) {
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** An RS256 signature, made by hand, over any header and claims text. */
  static String signRs256(RSAKey key, String headerJson, String claimsJson) {
    return signParts(key, encode(headerJson), encode(claimsJson));
  }

  /** An RS256 signature, made by hand, over two parts taken as they are, encoded or not. */
  static String signParts(RSAKey key, String headerPart, String claimsPart) {
    String input = headerPart + "." + claimsPart;
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key.toPrivateKey());
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HS256 token made by hand, keyed with any {@code secret}, however short. */
  static String hs256(byte[] secret, JWTClaimsSet claims) {
    String input = encode("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + encode(claims.toString());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input
          + "."
          + BASE64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An unsecured token ({@code alg: none}, empty signature). */
  static String unsecured(JWTClaimsSet claims) {
    return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
  }

  /** The token with its claims replaced by {@code claims}, its header and signature kept. */
  static String tampered(String token, JWTClaimsSet claims) {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(claims.toString()) + "." + parts[2];
  }

  /** The token without the last {@code chars} characters of its signature. */
  static String truncated(String token, int chars) {
    return token.substring(0, token.length() - chars);
  }

  static String encode(String text) {
    return BASE64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
