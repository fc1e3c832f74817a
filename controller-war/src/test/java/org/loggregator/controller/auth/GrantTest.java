package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrantTest {

  @Test
  void shouldReadOnlyTheNamedAppsWhenTheGrantHasNoAdminScope() {
    Grant grant = new Grant("developer", Set.of("app-1", "app-2"), Set.of("logs.read"));

    assertTrue(grant.mayRead("app-1"));
    assertTrue(grant.mayRead("app-2"));
    assertFalse(grant.mayRead("app-3"));
    assertFalse(grant.mayRead(""));
  }

  @Test
  void shouldReadAnyAppWhenTheGrantHasTheAdminScope() {
    Grant grant = new Grant("operator", Set.of(), Set.of(Grant.ADMIN_SCOPE));

    assertTrue(grant.mayRead("app-1"));
    assertTrue(grant.mayRead("any-other-app"));
  }

  @Test
  void shouldReadTheFirehoseOnlyWhenTheGrantHasTheFirehoseScope() {
    Grant nozzle = new Grant("nozzle", Set.of(), Set.of("logs.read", Grant.FIREHOSE_SCOPE));
    Grant developer = new Grant("developer", Set.of("app-1"), Set.of("logs.read"));
    Grant operator = new Grant("operator", Set.of(), Set.of(Grant.ADMIN_SCOPE));

    assertTrue(nozzle.mayReadFirehose());
    assertFalse(nozzle.mayRead("app-1"));
    assertFalse(developer.mayReadFirehose());
    assertFalse(operator.mayReadFirehose());
  }

  @Test
  void shouldKeepItsOwnCopyWhenTheCallerChangesItsSets() {
    Set<String> apps = new HashSet<>(Set.of("app-1"));
    Set<String> scopes = new HashSet<>(Set.of("logs.read"));
    Grant grant = new Grant("developer", apps, scopes);

    apps.add("app-2");
    scopes.add(Grant.FIREHOSE_SCOPE);

    assertFalse(grant.mayRead("app-2"));
    assertFalse(grant.mayReadFirehose());
    assertEquals(Set.of("app-1"), grant.appIds());
    assertThrows(UnsupportedOperationException.class, () -> grant.appIds().add("app-3"));
  }
}
