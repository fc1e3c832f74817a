package org.loggregator.controller.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.loggregator.config.DopplerAddress;
import org.loggregator.membership.Membership;
import org.loggregator.membership.NameResolver;

/**
 * The controller's dopplers as they come and go: the configured list, with every DNS name resolved
 * again by each {@link #refresh()}, published as a new {@link DopplerDirectory} to everything that
 * follows it (the inbound forwarder, the fan-ins of live clients). Thread-safe; {@link #refresh()}
 * runs on one thread of its own, since a lookup can block for seconds.
 */
public final class DopplerMembership {
  private final Membership<DopplerAddress> members;
  private final List<String> zones;
  private final List<Consumer<DopplerDirectory>> followers = new CopyOnWriteArrayList<>();
  private volatile DopplerDirectory directory;
  private volatile List<String> failures = List.of();

  /** Resolves the configured dopplers once, now; {@link #refresh()} does it again. */
  public DopplerMembership(List<DopplerAddress> configured, NameResolver resolver) {
    this.members = new Membership<>(configured, DopplerAddress::udp, DopplerAddress::at, resolver);
    this.zones = configured.stream().map(DopplerAddress::zone).distinct().toList();
    members.refresh();
    this.failures = members.failures();
    this.directory = new DopplerDirectory(zones, members.current());
  }

  /** The dopplers now. */
  public DopplerDirectory directory() {
    return directory;
  }

  /** Whether any doppler is given by name, so that refreshing can change anything. */
  public boolean hasNames() {
    return members.hasNames();
  }

  /** The names that failed at the last resolution, one sentence each. */
  public List<String> failures() {
    return failures;
  }

  /** Calls {@code follower} with each new directory, after it is published. */
  public void follow(Consumer<DopplerDirectory> follower) {
    followers.add(follower);
  }

  /**
   * Resolves every name again; when the dopplers changed, publishes the new directory and tells
   * every follower.
   *
   * @return whether the dopplers changed
   */
  public boolean refresh() {
    boolean changed = members.refresh();
    failures = members.failures();
    if (!changed) {
      return false;
    }
    DopplerDirectory fresh = new DopplerDirectory(zones, members.current());
    directory = fresh;
    for (Consumer<DopplerDirectory> follower : followers) {
      follower.accept(fresh);
    }
    return true;
  }
}
