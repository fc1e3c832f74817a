package org.loggregator.protocol;

/** Shared secrets for tests: explicit, long enough, and never the published one. */
public final class TestSecrets {
  /** The secret tests sign with. */
  public static final String SECRET = "test-only-shared-secret-0123456789abcdef";

  /** A second secret, as during a rotation. */
  public static final String NEXT = "test-only-next-shared-secret-fedcba9876543210";

  /** {@link #SECRET} alone. */
  public static final SharedSecrets SECRETS = SharedSecrets.parse(SECRET, "test secret");

  private TestSecrets() {}
}
