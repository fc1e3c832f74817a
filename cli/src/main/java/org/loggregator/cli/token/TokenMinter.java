package org.loggregator.cli.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.util.Base64;

/**
 * Mints bearer tokens for the traffic controller: JWTs (RFC 7519) signed RS256 (RSASSA-PKCS1-v1_5
 * with SHA-256) with an RSA private key of at least 2048 bits. Immutable and thread-safe.
 *
 * <p>A token is {@code base64url(header) "." base64url(claims) "." base64url(signature)}, base64url
 * without padding, where the header is exactly {@value #HEADER_JSON}, the claims are {@link
 * TokenClaims#toJson()} in UTF-8, and the signature is over the ASCII bytes of the first two parts
 * and their dot.
 */
public final class TokenMinter {
  /** The JOSE header of every token. */
  public static final String HEADER_JSON = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";

  /** The JCA name of RS256. */
  public static final String SIGNATURE_ALGORITHM = "SHA256withRSA";

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final PrivateKey key;

  /**
   * @param key an RSA private key of at least 2048 bits
   * @throws IllegalArgumentException for another kind of key or a shorter one
   */
  public TokenMinter(PrivateKey key) {
    if (!"RSA".equals(key.getAlgorithm()) || !(key instanceof RSAKey rsa)) {
      throw new IllegalArgumentException(
          "Tokens are signed RS256, which needs an RSA private key, not "
              + key.getAlgorithm()
              + ".");
    }
    if (rsa.getModulus().bitLength() < DevKeys.KEY_BITS) {
      throw new IllegalArgumentException(
          "The RSA key has "
              + rsa.getModulus().bitLength()
              + " bits; RS256 tokens need at least "
              + DevKeys.KEY_BITS
              + ".");
    }
    this.key = key;
  }

  /** The signed token, without any {@code bearer} prefix. */
  public String mint(TokenClaims claims) {
    String signingInput =
        encode(HEADER_JSON.getBytes(StandardCharsets.UTF_8))
            + "."
            + encode(claims.toJson().getBytes(StandardCharsets.UTF_8));
    try {
      Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + encode(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JDK cannot sign with " + SIGNATURE_ALGORITHM + ".", e);
    }
  }

  private static String encode(byte[] bytes) {
    return BASE64URL.encodeToString(bytes);
  }
}
