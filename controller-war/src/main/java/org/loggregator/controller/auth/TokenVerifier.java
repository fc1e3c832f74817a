package org.loggregator.controller.auth;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

/**
 * Verifies MicroProfile JWT bearer tokens signed RS256 with the configured public key: signature,
 * issuer, expiry (with a minute of clock skew) and not-before, then reads the grant: the {@code
 * app_ids} claim (array) and the {@code scope} claim (array or space-separated string).
 * Thread-safe.
 */
public final class TokenVerifier {
  private static final long SKEW_SECONDS = 60;

  private final PublicKey key;
  private final String issuer;

  public TokenVerifier(PublicKey key, String issuer) {
    this.key = key;
    this.issuer = issuer;
  }

  /**
   * Verifies a token as it came in an Authorization header or cookie: {@code bearer TOKEN} (any
   * case) or the bare token.
   */
  public Grant verify(String credential, long nowSeconds) throws TokenRefusedException {
    if (credential == null || credential.isBlank()) {
      throw new TokenRefusedException(
          "A bearer token is required: send \"Authorization: bearer <token>\".");
    }
    String token = credential.trim();
    if (token.regionMatches(true, 0, "bearer ", 0, 7)) {
      token = token.substring(7).trim();
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenRefusedException("The bearer token is not a JWT (header.payload.signature).");
    }
    JsonObject header = json(parts[0], "header");
    if (!"RS256".equals(header.getString("alg", ""))) {
      throw new TokenRefusedException("The bearer token must be signed with RS256.");
    }
    if (!signatureValid(parts)) {
      throw new TokenRefusedException("The bearer token's signature does not verify.");
    }
    JsonObject claims = json(parts[1], "claims");
    if (!issuer.equals(claims.getString("iss", ""))) {
      throw new TokenRefusedException("The bearer token was not issued by " + issuer + ".");
    }
    long exp = number(claims, "exp", -1);
    if (exp < 0) {
      throw new TokenRefusedException("The bearer token has no expiry (exp).");
    }
    if (nowSeconds > exp + SKEW_SECONDS) {
      throw new TokenRefusedException("The bearer token has expired.");
    }
    if (nowSeconds + SKEW_SECONDS < number(claims, "nbf", 0)) {
      throw new TokenRefusedException("The bearer token is not valid yet.");
    }
    return new Grant(
        claims.getString("sub", claims.getString("upn", "")),
        strings(claims.get("app_ids")),
        strings(claims.get("scope")));
  }

  private boolean signatureValid(String[] parts) throws TokenRefusedException {
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(key);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(Base64.getUrlDecoder().decode(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new TokenRefusedException("The bearer token's signature is not base64url.");
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static JsonObject json(String part, String what) throws TokenRefusedException {
    try (JsonReader reader =
        Json.createReader(
            new StringReader(
                new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8)))) {
      return reader.readObject();
    } catch (RuntimeException e) {
      throw new TokenRefusedException(
          "The bearer token's " + what + " is not base64url-encoded JSON.");
    }
  }

  private static long number(JsonObject claims, String name, long absent) {
    JsonValue value = claims.get(name);
    return value instanceof JsonNumber n ? n.longValue() : absent;
  }

  private static Set<String> strings(JsonValue value) {
    Set<String> result = new HashSet<>();
    if (value instanceof JsonArray array) {
      for (JsonValue item : array) {
        if (item instanceof JsonString s) {
          result.add(s.getString());
        }
      }
    } else if (value instanceof JsonString s) {
      for (String item : s.getString().split("\\s+")) {
        if (!item.isEmpty()) {
          result.add(item);
        }
      }
    }
    return result;
  }
}
