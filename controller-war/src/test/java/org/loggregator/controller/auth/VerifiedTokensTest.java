package org.loggregator.controller.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class VerifiedTokensTest {
  private static final Grant GRANT = new Grant("developer", Set.of("app-1"), Set.of("logs.read"));

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final VerifiedTokens tokens = new VerifiedTokens(clock::get);

  @Test
  void shouldKeepAGrantUntilItsTokenExpiresWhenThatIsSoonerThanTheLifetime() {
    ByteBuffer key = VerifiedTokens.key("a.b.c");
    tokens.put(key, GRANT, clock.get() + 5_000);

    clock.addAndGet(4_999);
    assertEquals(GRANT, tokens.get(VerifiedTokens.key("a.b.c")));
    clock.addAndGet(1);
    assertNull(tokens.get(key));
    assertEquals(0, tokens.size(), "an expired grant is dropped when it is found expired");
  }

  @Test
  void shouldKeepAGrantNoLongerThanTheLifetimeWhenItsTokenExpiresLater() {
    ByteBuffer key = VerifiedTokens.key("a.b.c");
    tokens.put(key, GRANT, clock.get() + 3_600_000);

    clock.addAndGet(VerifiedTokens.LIFETIME_MILLIS);

    assertNull(tokens.get(key));
  }

  @Test
  void shouldNotFindATokenThatDiffersByOneCharacter() {
    tokens.put(VerifiedTokens.key("a.b.c"), GRANT, clock.get() + 5_000);

    assertNull(tokens.get(VerifiedTokens.key("a.b.C")));
    assertNull(tokens.get(VerifiedTokens.key("a.b.c.")));
  }

  @Test
  void shouldKeepAtMostMaxEntriesWhenManyTokensAreVerified() {
    for (int i = 0; i < VerifiedTokens.MAX_ENTRIES * 3 + 7; i++) {
      tokens.put(VerifiedTokens.key("a.b." + i), GRANT, clock.get() + 5_000);
      assertTrue(tokens.size() <= VerifiedTokens.MAX_ENTRIES);
    }
  }
}
