package org.loggregator.cli.token;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.loggregator.cli.format.Json;

/**
 * The claims of one bearer token, immutable. {@link #forApps} gives the usual token; the {@code
 * with…} methods return changed copies (an expired token for a test, a firehose scope, another
 * issuer).
 *
 * @param issuer {@code iss}, {@link #DEFAULT_ISSUER} unless changed
 * @param audience {@code aud}: who the token is for, {@link #DEFAULT_AUDIENCE} unless changed
 * @param subject {@code sub}, also written as {@code upn}
 * @param issuedAt {@code iat}, whole seconds
 * @param expiresAt {@code exp}, whole seconds
 * @param id {@code jti}, random
 * @param appIds {@code app_ids}: the app ids whose logs the token may read
 * @param scopes {@code scope}: always {@link #LOGS_READ} first, then the others asked for
 */
public record TokenClaims(
    String issuer,
    List<String> audience,
    String subject,
    Instant issuedAt,
    Instant expiresAt,
    String id,
    List<String> appIds,
    List<String> scopes) {

  /** The issuer the controller expects by default. */
  public static final String DEFAULT_ISSUER = "loggregator";

  /** The audience the controller accepts by default. */
  public static final String DEFAULT_AUDIENCE = "loggregator";

  /** The subject of tokens minted without one. */
  public static final String DEFAULT_SUBJECT = "developer";

  /** How long a token lives unless told otherwise. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** Every token carries it: read the logs of the apps in {@code app_ids}. */
  public static final String LOGS_READ = "logs.read";

  /** Read the firehose (every envelope of every app). */
  public static final String FIREHOSE = "doppler.firehose";

  /** Operator rights. */
  public static final String ADMIN = "loggregator.admin";

  public TokenClaims {
    Objects.requireNonNull(issuer, "issuer");
    audience = List.copyOf(audience);
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(id, "id");
    issuedAt = issuedAt.truncatedTo(ChronoUnit.SECONDS);
    expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    appIds = List.copyOf(appIds);
    scopes = List.copyOf(scopes);
  }

  /**
   * A token for these app ids, issued now by {@link #DEFAULT_ISSUER} to {@link #DEFAULT_SUBJECT},
   * living {@code ttl}, with the scope {@link #LOGS_READ}.
   */
  public static TokenClaims forApps(Collection<String> appIds, Duration ttl) {
    Instant now = Instant.now();
    return new TokenClaims(
        DEFAULT_ISSUER,
        List.of(DEFAULT_AUDIENCE),
        DEFAULT_SUBJECT,
        now,
        now.plus(ttl),
        UUID.randomUUID().toString(),
        new ArrayList<>(appIds),
        List.of(LOGS_READ));
  }

  /** {@link #forApps(Collection, Duration)} with {@link #DEFAULT_TTL}. */
  public static TokenClaims forApps(String... appIds) {
    return forApps(List.of(appIds), DEFAULT_TTL);
  }

  /** A copy that also has the scope {@link #FIREHOSE}. */
  public TokenClaims withFirehose() {
    return withScope(FIREHOSE);
  }

  /** A copy that also has the scope {@link #ADMIN}. */
  public TokenClaims withAdmin() {
    return withScope(ADMIN);
  }

  /** A copy that also has {@code scope} (once). */
  public TokenClaims withScope(String scope) {
    if (scopes.contains(scope)) {
      return this;
    }
    List<String> more = new ArrayList<>(scopes);
    more.add(scope);
    return new TokenClaims(issuer, audience, subject, issuedAt, expiresAt, id, appIds, more);
  }

  /** A copy with exactly these scopes (for tests of tokens without {@link #LOGS_READ}). */
  public TokenClaims withScopes(List<String> newScopes) {
    return new TokenClaims(issuer, audience, subject, issuedAt, expiresAt, id, appIds, newScopes);
  }

  /** A copy from another issuer. */
  public TokenClaims withIssuer(String newIssuer) {
    return new TokenClaims(newIssuer, audience, subject, issuedAt, expiresAt, id, appIds, scopes);
  }

  /** A copy for another audience ({@code aud}). */
  public TokenClaims withAudience(List<String> newAudience) {
    return new TokenClaims(issuer, newAudience, subject, issuedAt, expiresAt, id, appIds, scopes);
  }

  /** A copy for another subject. */
  public TokenClaims withSubject(String newSubject) {
    return new TokenClaims(issuer, audience, newSubject, issuedAt, expiresAt, id, appIds, scopes);
  }

  /** A copy issued at {@code iat} and expiring at {@code exp} (either may be in the past). */
  public TokenClaims withTimes(Instant iat, Instant exp) {
    return new TokenClaims(issuer, audience, subject, iat, exp, id, appIds, scopes);
  }

  /**
   * The claims as compact JSON, keys in this order: iss, aud, sub, upn, iat, exp, jti, app_ids,
   * scope.
   */
  public String toJson() {
    StringBuilder json = new StringBuilder(256);
    json.append('{');
    Json.string(Json.member(json, "iss"), issuer).append(',');
    Json.member(json, "aud");
    Json.array(json, audience).append(',');
    Json.string(Json.member(json, "sub"), subject).append(',');
    Json.string(Json.member(json, "upn"), subject).append(',');
    Json.member(json, "iat").append(issuedAt.getEpochSecond()).append(',');
    Json.member(json, "exp").append(expiresAt.getEpochSecond()).append(',');
    Json.string(Json.member(json, "jti"), id).append(',');
    Json.member(json, "app_ids");
    Json.array(json, appIds).append(',');
    Json.member(json, "scope");
    Json.array(json, scopes).append('}');
    return json.toString();
  }
}
