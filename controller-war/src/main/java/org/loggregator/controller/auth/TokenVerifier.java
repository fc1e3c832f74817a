package org.loggregator.controller.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.nio.ByteBuffer;
import java.security.Key;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.loggregator.access.Refusal;
import org.loggregator.controller.config.TokenSettings;

/**
 * Verifies bearer tokens with Nimbus JOSE+JWT: a signed JWT (RS256 or ES256 only; unsigned,
 * encrypted and HMAC tokens are refused) whose key comes from the configured key source, then the
 * {@link ClaimRules}, then reads the grant: the app-ids claim (its name configured) and {@code
 * scope}, each an array or a space-separated string. A grant is kept a while ({@link
 * VerifiedTokens}), so that a token is not verified again on each request. Thread-safe.
 */
public final class TokenVerifier {
  /** The longest credential looked at. */
  static final int MAX_TOKEN_CHARS = 8192;

  private static final Set<JWSAlgorithm> ALGORITHMS =
      Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);

  /**
   * The JWS compact serialization: three base64url parts, the last empty only when unsigned (which
   * is then refused for its algorithm). Nimbus decodes leniently (padding and other characters
   * skipped), so without this check one token would verify under many spellings.
   */
  private static final Pattern COMPACT =
      Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

  private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
  private final String appIdsClaim;
  private final long skewMillis;
  private final VerifiedTokens verified;

  public TokenVerifier(JWKSource<SecurityContext> keys, TokenSettings settings) {
    this(keys, settings, System::currentTimeMillis);
  }

  TokenVerifier(JWKSource<SecurityContext> keys, TokenSettings settings, LongSupplier clock) {
    processor.setJWSTypeVerifier(
        new DefaultJOSEObjectTypeVerifier<>(
            JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(ALGORITHMS, keys) {
          /**
           * Nimbus offers every EC key for ES256 whatever its curve, and a verifier of another
           * curve throws rather than fails, so a key set that also holds, say, a P-384 key would
           * refuse tokens (as keys unavailable) instead of trying the next key.
           */
          @Override
          public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context)
              throws KeySourceException {
            List<Key> candidates = new ArrayList<>(super.selectJWSKeys(header, context));
            candidates.removeIf(
                key ->
                    key instanceof ECPublicKey ec
                        && Curve.forECParameterSpec(ec.getParams()) != Curve.P_256);
            return candidates;
          }
        });
    processor.setJWTClaimsSetVerifier(
        new ClaimRules(settings.issuer(), settings.audiences(), settings.clockSkew(), clock));
    this.appIdsClaim = settings.appIdsClaim();
    this.skewMillis = settings.clockSkew().toMillis();
    this.verified = new VerifiedTokens(clock);
  }

  /**
   * Verifies a token as it came in an Authorization header or the cookie: {@code bearer TOKEN} (any
   * case) or the bare token.
   */
  public Grant verify(String credential) throws TokenRefusedException {
    if (credential == null || credential.isBlank()) {
      throw new TokenRefusedException(
          Refusal.NO_CREDENTIAL,
          "A bearer token is required: send \"Authorization: bearer <token>\".");
    }
    if (credential.length() > MAX_TOKEN_CHARS) {
      throw new TokenRefusedException(Refusal.MALFORMED, "The bearer token is longer than 8 KiB.");
    }
    String token = credential.strip();
    if (token.regionMatches(true, 0, "bearer ", 0, 7)) {
      token = token.substring(7).strip();
    }
    if (!COMPACT.matcher(token).matches()) {
      throw new TokenRefusedException(
          Refusal.MALFORMED, "The bearer token is not a JWT (header.payload.signature).");
    }
    ByteBuffer key = VerifiedTokens.key(token);
    Grant known = verified.get(key);
    if (known != null) {
      return known;
    }
    JWTClaimsSet claims;
    try {
      claims = processor.process(token, null);
    } catch (ParseException e) {
      throw new TokenRefusedException(
          Refusal.MALFORMED, "The bearer token is not a JWT (header.payload.signature).");
    } catch (ClaimRules.Broken e) {
      throw new TokenRefusedException(e.reason, e.getMessage());
    } catch (BadJWTException e) {
      throw new TokenRefusedException(
          Refusal.MALFORMED, "The bearer token's header or claims are not valid JWT JSON.");
    } catch (BadJOSEException e) {
      throw badSignature();
    } catch (JOSEException e) {
      if (!causedBy(e, KeySourceException.class) || causedBy(e, RateLimitReachedException.class)) {
        throw badSignature();
      }
      throw new TokenRefusedException(
          Refusal.KEYS_UNAVAILABLE, "The keys that verify tokens cannot be fetched now; retry.");
    }
    Grant grant =
        new Grant(
            claims.getSubject() == null ? "" : claims.getSubject(),
            strings(claims.getClaim(appIdsClaim)),
            strings(claims.getClaim("scope")));
    verified.put(key, grant, claims.getExpirationTime().getTime() + skewMillis);
    return grant;
  }

  private static TokenRefusedException badSignature() {
    return new TokenRefusedException(
        Refusal.BAD_SIGNATURE,
        "The bearer token's signature does not verify with this server's keys (RS256 or ES256).");
  }

  private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> strings(Object value) {
    Set<String> result = new HashSet<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        if (item instanceof String s) {
          result.add(s);
        }
      }
    } else if (value instanceof String s) {
      for (String item : s.split("\\s+")) {
        if (!item.isEmpty()) {
          result.add(item);
        }
      }
    }
    return result;
  }
}
