package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.access.Decision;
import org.loggregator.access.Refusal;

class GrantTest {

  private static void assertRefused(Refusal reason, Decision decision) {
    assertFalse(decision.allowed(), "refused");
    assertEquals(reason, decision.refusal());
    assertFalse(decision.sentence().isBlank(), "a refusal says why");
    assertTrue(decision.sentence().endsWith("."), decision.sentence());
  }

  @Test
  void shouldAllowOnlyTheNamedAppsWhenTheGrantHasLogsReadWithoutAdminScope() {
    Grant grant = new Grant("developer", Set.of("app-1", "app-2"), Set.of(Grant.LOGS_READ));

    assertEquals(Decision.ALLOW, grant.forApp("app-1"));
    assertEquals(Decision.ALLOW, grant.forApp("app-2"));
    assertRefused(Refusal.OTHER_APP, grant.forApp("app-3"));
    assertRefused(Refusal.OTHER_APP, grant.forApp(""));
  }

  @Test
  void shouldAllowAnyAppWhenTheGrantHasLogsReadAndTheAdminScope() {
    Grant grant = new Grant("operator", Set.of(), Set.of(Grant.LOGS_READ, Grant.ADMIN_SCOPE));

    assertEquals(Decision.ALLOW, grant.forApp("app-1"));
    assertEquals(Decision.ALLOW, grant.forApp("any-other-app"));
  }

  @Test
  void shouldRefuseForScopeWhenTheGrantLacksLogsReadEvenIfItNamesTheApp() {
    Grant named = new Grant("developer", Set.of("app-1"), Set.of());
    Grant admin = new Grant("operator", Set.of("app-1"), Set.of(Grant.ADMIN_SCOPE));
    Grant nozzle = new Grant("nozzle", Set.of("app-1"), Set.of(Grant.FIREHOSE_SCOPE));

    assertRefused(Refusal.SCOPE, named.forApp("app-1"));
    assertRefused(Refusal.SCOPE, admin.forApp("app-1"));
    assertRefused(Refusal.SCOPE, nozzle.forApp("app-1"));
    assertTrue(named.forApp("app-1").sentence().contains(Grant.LOGS_READ));
  }

  @Test
  void shouldRefuseForScopeBeforeOtherAppWhenTheGrantHasNeither() {
    Grant grant = new Grant("developer", Set.of("app-1"), Set.of("openid"));

    assertRefused(Refusal.SCOPE, grant.forApp("app-2"));
  }

  @Test
  void shouldAllowTheFirehoseOnlyWhenTheGrantHasTheFirehoseScope() {
    Grant nozzle = new Grant("nozzle", Set.of(), Set.of(Grant.FIREHOSE_SCOPE));
    Grant developer = new Grant("developer", Set.of("app-1"), Set.of(Grant.LOGS_READ));
    Grant operator = new Grant("operator", Set.of(), Set.of(Grant.LOGS_READ, Grant.ADMIN_SCOPE));

    assertEquals(Decision.ALLOW, nozzle.forFirehose());
    assertRefused(Refusal.SCOPE, nozzle.forApp("app-1"));
    assertRefused(Refusal.SCOPE, developer.forFirehose());
    assertRefused(Refusal.SCOPE, operator.forFirehose());
    assertTrue(developer.forFirehose().sentence().contains(Grant.FIREHOSE_SCOPE));
  }

  @Test
  void shouldKeepItsOwnImmutableCopyWhenTheCallerChangesItsSets() {
    Set<String> apps = new HashSet<>(Set.of("app-1"));
    Set<String> scopes = new HashSet<>(Set.of(Grant.LOGS_READ));
    Grant grant = new Grant("developer", apps, scopes);

    apps.add("app-2");
    scopes.add(Grant.FIREHOSE_SCOPE);

    assertRefused(Refusal.OTHER_APP, grant.forApp("app-2"));
    assertRefused(Refusal.SCOPE, grant.forFirehose());
    assertEquals(Set.of("app-1"), grant.appIds());
    assertEquals(Set.of(Grant.LOGS_READ), grant.scopes());
    assertThrows(UnsupportedOperationException.class, () -> grant.appIds().add("app-3"));
    assertThrows(UnsupportedOperationException.class, () -> grant.scopes().add("x"));
  }
}
