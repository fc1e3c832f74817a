package org.loggregator.controller.auth;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints bearer tokens the way the cli's TokenMinter does (RS256, base64url without padding), kept
 * here because the controller must not depend on the cli; also mints the broken ones it never
 * would.
 */
final class TestTokens {
  static final String RS256_HEADER = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private TestTokens() {}

  /** Claims of a usual token: issuer, subject, expiry, app ids and scopes as an array. */
  static JsonObjectBuilder claims(
      String issuer, long expiresAt, List<String> appIds, List<String> scopes) {
    return Json.createObjectBuilder()
        .add("iss", issuer)
        .add("sub", "developer")
        .add("upn", "developer")
        .add("iat", expiresAt - 3600)
        .add("exp", expiresAt)
        .add("jti", "test-token")
        .add("app_ids", Json.createArrayBuilder(appIds))
        .add("scope", Json.createArrayBuilder(scopes));
  }

  /** An RS256 token over these claims. */
  static String rs256(PrivateKey key, JsonObject claims) {
    return signRs256(key, RS256_HEADER, claims.toString());
  }

  /** An RS256 signature over any header and claims text. */
  static String signRs256(PrivateKey key, String headerJson, String claimsJson) {
    return signParts(key, encode(headerJson), encode(claimsJson));
  }

  /** An RS256 signature over two parts taken as they are, encoded or not. */
  static String signParts(PrivateKey key, String headerPart, String claimsPart) {
    String input = headerPart + "." + claimsPart;
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(key);
      signature.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An HS256 token, keyed with {@code secret}. */
  static String hs256(byte[] secret, JsonObject claims) {
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
  static String unsecured(JsonObject claims) {
    return encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
  }

  static String encode(String text) {
    return BASE64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }
}
