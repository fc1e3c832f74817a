package org.loggregator.sink;

import java.util.Arrays;
import java.util.List;

/**
 * The connections that share one firehose subscription id: each envelope goes to exactly one of
 * them, in turn. Offering is lock-free; joining and leaving copy the member array.
 */
public final class FirehoseGroup {
  private volatile Subscriber[] members = new Subscriber[0];
  private long next; // racy by design: an uneven turn now and then is harmless

  /** Gives the envelope to one member; false when the group has none. */
  public boolean offer(byte[] envelope) {
    Subscriber[] current = members;
    if (current.length == 0) {
      return false;
    }
    int index = (int) Long.remainderUnsigned(next++, current.length);
    current[index].offer(envelope);
    return true;
  }

  public synchronized void join(Subscriber subscriber) {
    Subscriber[] grown = Arrays.copyOf(members, members.length + 1);
    grown[grown.length - 1] = subscriber;
    members = grown;
  }

  /** Removes a member; true when the group is empty afterwards. */
  public synchronized boolean leave(Subscriber subscriber) {
    members = Arrays.stream(members).filter(m -> m != subscriber).toArray(Subscriber[]::new);
    return members.length == 0;
  }

  public int size() {
    return members.length;
  }

  /** The members now. */
  public List<Subscriber> members() {
    return List.of(members);
  }
}
