package org.loggregator.controller.auth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.loggregator.auth.PemKeys;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.controller.config.TokenSettings;

/**
 * Where the keys that verify tokens come from: a JWKS URL (cached, fetched again on an unknown
 * {@code kid} at most every {@link #MIN_REFRESH}), or a PEM file of public keys (any of which may
 * verify a token, so that a file may list the old and the new key during a rotation).
 */
public final class TokenKeys {
  private static final Logger LOG = Logger.getLogger(TokenKeys.class.getName());

  /** How long a fetched key set is used before it is fetched again. */
  static final Duration CACHE = Duration.ofMinutes(5);

  /** The least time between two fetches, whatever tokens arrive. */
  static final Duration MIN_REFRESH = Duration.ofSeconds(30);

  private static final int FETCH_TIMEOUT_MILLIS = 2_000;
  private static final int MAX_JWKS_BYTES = 256 * 1024;
  private static final int MIN_RSA_BITS = 2048;

  private TokenKeys() {}

  /**
   * The key source the settings name; a PEM file that is absent is generated first when allowed.
   *
   * @throws InvalidSettingException naming the key when the keys cannot be used
   */
  public static JWKSource<SecurityContext> load(TokenSettings settings) {
    if (settings.jwksUrl() != null) {
      return remote(settings.jwksUrl());
    }
    Path file = Path.of(settings.publicKeyFile());
    try {
      if (!Files.exists(file)) {
        if (!settings.generateDevKeys()) {
          throw invalid(
              TokenSettings.PUBLIC_KEY,
              "names " + file.toAbsolutePath() + ", which does not exist");
        }
        generate(file);
      }
      return anyKeyId(new JWKSet(jwks(PemKeys.readPublicKeys(file))));
    } catch (IOException | IllegalArgumentException e) {
      throw invalid(
          TokenSettings.PUBLIC_KEY,
          "must name a PEM file of RSA or EC P-256 public keys: " + e.getMessage());
    }
  }

  /**
   * Keys from a PEM file have no key id, so a token's {@code kid} (which an outside issuer may set)
   * does not narrow them down: every key of the right type is tried.
   */
  static JWKSource<SecurityContext> anyKeyId(JWKSet keys) {
    return (selector, context) ->
        new JWKSelector(
                new JWKMatcher.Builder(selector.getMatcher()).keyIDs((Set<String>) null).build())
            .select(keys);
  }

  /** A JWKS URL's keys, cached and rate limited, fetched on the calling thread. */
  static JWKSource<SecurityContext> remote(URI url) {
    try {
      return JWKSourceBuilder.<SecurityContext>create(
              url.toURL(),
              new DefaultResourceRetriever(
                  FETCH_TIMEOUT_MILLIS, FETCH_TIMEOUT_MILLIS, MAX_JWKS_BYTES))
          .cache(CACHE.toMillis(), FETCH_TIMEOUT_MILLIS * 2L)
          .refreshAheadCache(false)
          .rateLimited(MIN_REFRESH.toMillis())
          .retrying(false)
          .build();
    } catch (MalformedURLException e) {
      throw invalid(TokenSettings.JWKS_URL, "must be an http:// or https:// URL");
    }
  }

  /** The keys as JWKs: RSA keys of at least 2048 bits, EC keys on P-256. */
  static List<JWK> jwks(List<PublicKey> keys) {
    List<JWK> jwks = new ArrayList<>();
    for (PublicKey key : keys) {
      if (key instanceof RSAPublicKey rsa) {
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
          throw new IllegalArgumentException("an RSA key has fewer than " + MIN_RSA_BITS + " bits");
        }
        jwks.add(new RSAKey.Builder(rsa).build());
      } else if (key instanceof ECPublicKey ec
          && Curve.forECParameterSpec(ec.getParams()) == Curve.P_256) {
        jwks.add(new ECKey.Builder(Curve.P_256, ec).build());
      } else {
        throw new IllegalArgumentException("an EC key is not on the curve P-256");
      }
    }
    return jwks;
  }

  private static void generate(Path file) throws IOException {
    Path privateFile = file.resolveSibling("token-private.pem");
    KeyPair pair = PemKeys.generate();
    PemKeys.write(pair, file, privateFile);
    LOG.warning(
        "Generated a development token key pair: "
            + file.toAbsolutePath()
            + " verifies tokens; mint them with bin/logs token --key "
            + privateFile.toAbsolutePath()
            + " --app APP. Configure a real key for production.");
  }

  private static InvalidSettingException invalid(String key, String what) {
    return new InvalidSettingException(key, "Configuration value " + key + " " + what + ".");
  }
}
