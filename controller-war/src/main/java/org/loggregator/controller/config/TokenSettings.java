package org.loggregator.controller.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;

/**
 * How bearer tokens are checked: where the keys come from, and the claims every token must carry.
 *
 * @param publicKeyFile PEM file of one or more public keys (RSA, or EC P-256), used when no JWKS
 *     URL is set
 * @param jwksUrl a JWKS document's URL, or null
 * @param generateDevKeys whether to generate a development key pair when the key file is absent
 * @param issuer the {@code iss} every token must name
 * @param audiences the {@code aud} values accepted; a token must name at least one of them
 * @param clockSkew how far expiry and not-before may be missed by
 * @param appIdsClaim the name of the claim listing the app ids a token may read
 */
public record TokenSettings(
    String publicKeyFile,
    URI jwksUrl,
    boolean generateDevKeys,
    String issuer,
    List<String> audiences,
    Duration clockSkew,
    String appIdsClaim) {

  public static final String PUBLIC_KEY = "controller.tokenPublicKey";
  public static final String JWKS_URL = "controller.tokenJwksUrl";
  public static final String GENERATE_DEV_KEYS = "controller.generateDevKeys";
  public static final String ISSUER = "controller.tokenIssuer";
  public static final String AUDIENCE = "controller.tokenAudience";
  public static final String CLOCK_SKEW = "controller.tokenClockSkew";
  public static final String APP_IDS_CLAIM = "controller.tokenAppIdsClaim";

  public TokenSettings {
    audiences = List.copyOf(audiences);
  }

  /** Reads and validates the token keys; the first bad value throws, naming its key. */
  public static TokenSettings from(Settings settings) {
    String jwks = settings.string(JWKS_URL, "");
    List<String> audiences = settings.list(AUDIENCE);
    if (audiences.isEmpty()) {
      audiences = List.of("loggregator");
    }
    String claim = settings.string(APP_IDS_CLAIM, "app_ids");
    if (!claim.matches("[A-Za-z0-9_.:/-]{1,128}")) {
      throw new InvalidSettingException(
          APP_IDS_CLAIM,
          "Configuration value "
              + APP_IDS_CLAIM
              + " must be a claim name of letters, digits or _ . : / -, but is \""
              + claim
              + "\".");
    }
    URI jwksUrl = jwks.isEmpty() ? null : settings.httpUrl(JWKS_URL, jwks);
    if (jwksUrl != null && !"https".equals(jwksUrl.getScheme()) && !isLoopback(jwksUrl.getHost())) {
      throw new InvalidSettingException(
          JWKS_URL,
          "Configuration value "
              + JWKS_URL
              + " must be an https:// URL (plain http only to a loopback address), but is \""
              + jwks
              + "\".");
    }
    return new TokenSettings(
        settings.string(PUBLIC_KEY, "resources/security/token-public.pem"),
        jwksUrl,
        settings.bool(GENERATE_DEV_KEYS, false),
        settings.string(ISSUER, "loggregator"),
        audiences,
        settings.duration(CLOCK_SKEW, Duration.ofSeconds(60), Duration.ZERO, Duration.ofMinutes(5)),
        claim);
  }

  /** Whether a URL's host is this machine, named or numbered, so that plain http stays local. */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return h.equalsIgnoreCase("localhost")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")
        || h.equals("::1")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  /** Where the keys come from, for the start-up log. */
  public String keySource() {
    return jwksUrl != null ? "JWKS " + jwksUrl : "PEM " + publicKeyFile;
  }
}
