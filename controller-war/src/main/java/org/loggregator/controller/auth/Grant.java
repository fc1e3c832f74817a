package org.loggregator.controller.auth;

import java.util.Set;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;

/**
 * What a verified token allows: with the scope {@value #LOGS_READ}, reading the apps it names (or
 * every app, with the scope {@value #ADMIN_SCOPE} too); with {@value #FIREHOSE_SCOPE}, the
 * firehose.
 */
public record Grant(String subject, Set<String> appIds, Set<String> scopes) {
  public static final String LOGS_READ = "logs.read";
  public static final String FIREHOSE_SCOPE = "doppler.firehose";
  public static final String ADMIN_SCOPE = "loggregator.admin";

  public Grant {
    appIds = Set.copyOf(appIds);
    scopes = Set.copyOf(scopes);
  }

  /** Whether this token may read the logs of {@code appId}, and if not, why. */
  public Decision forApp(String appId) {
    if (!scopes.contains(LOGS_READ)) {
      return Decision.refuse(
          Refusal.SCOPE, "The token lacks the scope " + LOGS_READ + ", which reading logs needs.");
    }
    if (!scopes.contains(ADMIN_SCOPE) && !appIds.contains(appId)) {
      return Decision.refuse(
          Refusal.OTHER_APP, "The token does not allow reading this app's logs.");
    }
    return Decision.ALLOW;
  }

  /** Whether this token may use the admin API, and if not, why. */
  public Decision forAdmin() {
    return scopes.contains(ADMIN_SCOPE)
        ? Decision.ALLOW
        : Decision.refuse(
            Refusal.SCOPE, "The admin API needs a token with the scope " + ADMIN_SCOPE + ".");
  }

  /** Whether this token may read the firehose, and if not, why. */
  public Decision forFirehose() {
    return scopes.contains(FIREHOSE_SCOPE)
        ? Decision.ALLOW
        : Decision.refuse(
            Refusal.SCOPE, "The firehose needs a token with the scope " + FIREHOSE_SCOPE + ".");
  }
}
