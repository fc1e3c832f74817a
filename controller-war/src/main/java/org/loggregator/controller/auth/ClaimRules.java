package org.loggregator.controller.auth;

import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;
import org.loggregator.access.Refusal;

/**
 * The claims every token must satisfy once its signature verified: an expiry not passed and a
 * not-before reached (each give or take the clock skew), the configured issuer, and at least one
 * accepted audience. Each failure says which rule it broke.
 */
final class ClaimRules implements JWTClaimsSetVerifier<SecurityContext> {

  /** A broken rule, with the refusal it stands for. */
  static final class Broken extends BadJWTException {
    private static final long serialVersionUID = 1L;
    final transient Refusal reason;

    Broken(Refusal reason, String message) {
      super(message);
      this.reason = reason;
    }
  }

  private final String issuer;
  private final List<String> audiences;
  private final long skewMillis;
  private final LongSupplier clockMillis;

  ClaimRules(String issuer, List<String> audiences, Duration skew, LongSupplier clockMillis) {
    this.issuer = issuer;
    this.audiences = List.copyOf(audiences);
    this.skewMillis = skew.toMillis();
    this.clockMillis = clockMillis;
  }

  @Override
  public void verify(JWTClaimsSet claims, SecurityContext context) throws BadJWTException {
    long now = clockMillis.getAsLong();
    Date exp = claims.getExpirationTime();
    if (exp == null) {
      throw new Broken(Refusal.MALFORMED, "The bearer token has no expiry (exp).");
    }
    if (exp.getTime() + skewMillis <= now) {
      throw new Broken(Refusal.EXPIRED, "The bearer token has expired.");
    }
    Date nbf = claims.getNotBeforeTime();
    if (nbf != null && nbf.getTime() - skewMillis > now) {
      throw new Broken(Refusal.EXPIRED, "The bearer token is not valid yet (nbf).");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new Broken(Refusal.ISSUER, "The bearer token was not issued by " + issuer + ".");
    }
    List<String> aud = claims.getAudience();
    if (aud == null || aud.stream().noneMatch(audiences::contains)) {
      throw new Broken(
          Refusal.AUDIENCE,
          "The bearer token is not meant for this server: its aud must include "
              + String.join(" or ", audiences)
              + ".");
    }
  }
}
