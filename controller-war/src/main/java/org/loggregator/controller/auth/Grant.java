package org.loggregator.controller.auth;

import java.util.Set;

/**
 * What a verified token allows: reading the apps it names (or every app, with the admin scope), and
 * the firehose with the {@code doppler.firehose} scope.
 */
public record Grant(String subject, Set<String> appIds, Set<String> scopes) {
  public static final String FIREHOSE_SCOPE = "doppler.firehose";
  public static final String ADMIN_SCOPE = "loggregator.admin";

  public Grant {
    appIds = Set.copyOf(appIds);
    scopes = Set.copyOf(scopes);
  }

  public boolean mayRead(String appId) {
    return scopes.contains(ADMIN_SCOPE) || appIds.contains(appId);
  }

  public boolean mayReadFirehose() {
    return scopes.contains(FIREHOSE_SCOPE);
  }
}
