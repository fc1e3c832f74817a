package org.loggregator.controller.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.loggregator.config.DopplerAddress;
import org.loggregator.controller.proxy.FakeUpstreamConnector.FakeUpstream;
import org.loggregator.metrics.Counter;
import org.loggregator.sink.FirehoseGroup;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;
import org.loggregator.sink.SubscriberTransport;

class ClientRegistryTest {
  private final DopplerAddress doppler = FakeUpstreamConnector.doppler("z1", 3458);
  private final FakeUpstreamConnector connector = new FakeUpstreamConnector();
  private final ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1);
  private final ClientRegistry registry = new ClientRegistry();
  private final List<FirehoseGroup> groupsConnected = new ArrayList<>();

  /** The connect function a firehose endpoint passes: one fan-in feeding the group. */
  private final Function<FirehoseGroup, ZoneFanIn> connect =
      group -> {
        groupsConnected.add(group);
        return fanIn(group::offer);
      };

  @AfterEach
  void stop() {
    registry.closeAll();
    scheduler.shutdownNow();
  }

  /** A fan-in from one fake doppler, connected at once on the calling thread. */
  private ZoneFanIn fanIn(Consumer<byte[]> sink) {
    ZoneFanIn fanIn =
        new ZoneFanIn(
            connector,
            sink,
            notice -> {},
            scheduler,
            zone -> Runnable::run,
            Counter.local(),
            () -> new DopplerDirectory(List.of(doppler)));
    fanIn.follow(DopplerDirectory::all, "/firehose/sub");
    return fanIn;
  }

  private static Subscriber client(String name) {
    SubscriberTransport transport =
        new SubscriberTransport() {
          @Override
          public void send(byte[] envelope, Consumer<Throwable> done) {
            done.accept(null);
          }

          @Override
          public void close(int code, String reason) {}

          @Override
          public String description() {
            return name;
          }
        };
    return new Subscriber(
        16,
        transport,
        Runnable::run,
        new SinkCounters(Counter.local(), Counter.local(), Counter.local()),
        null,
        "test");
  }

  private FakeUpstream upstream(int nth) {
    return connector.opened().get(nth);
  }

  @Test
  void shouldCreateOneFanInWhenTheFirstFirehoseClientJoins() {
    Subscriber first = client("nozzle 1");

    registry.joinFirehose("sub", first, connect);

    assertEquals(1, groupsConnected.size());
    assertEquals(List.of(first), groupsConnected.get(0).members());
    assertEquals(1, connector.opened().size());
    assertEquals(1, registry.firehoses());
  }

  @Test
  void shouldShareTheGroupAndItsFanInWhenASecondClientJoinsTheSameSubscription() {
    Subscriber first = client("nozzle 1");
    Subscriber second = client("nozzle 2");

    registry.joinFirehose("sub", first, connect);
    registry.joinFirehose("sub", second, connect);

    assertEquals(1, groupsConnected.size(), "the connect function is called once");
    assertEquals(List.of(first, second), groupsConnected.get(0).members());
    assertEquals(1, connector.opened().size());
    assertEquals(2, registry.firehoses());
  }

  @Test
  void shouldCreateAnotherFanInWhenAClientJoinsAnotherSubscription() {
    registry.joinFirehose("sub-a", client("nozzle a"), connect);
    registry.joinFirehose("sub-b", client("nozzle b"), connect);

    assertEquals(2, groupsConnected.size());
    assertNotSame(groupsConnected.get(0), groupsConnected.get(1));
    assertEquals(2, connector.opened().size());
    assertEquals(2, registry.firehoses());
  }

  @Test
  void shouldCloseTheFanInOnlyWhenTheLastClientLeaves() {
    Subscriber first = client("nozzle 1");
    Subscriber second = client("nozzle 2");
    registry.joinFirehose("sub", first, connect);
    registry.joinFirehose("sub", second, connect);

    registry.leaveFirehose("sub", first);

    assertFalse(upstream(0).closed());
    assertEquals(1, registry.firehoses());
    assertEquals(List.of(second), groupsConnected.get(0).members());

    registry.leaveFirehose("sub", second);

    assertTrue(upstream(0).closed());
    assertEquals(0, registry.firehoses());
  }

  @Test
  void shouldStartAFreshFanInWhenAClientJoinsASubscriptionItsLastClientLeft() {
    Subscriber first = client("nozzle 1");
    registry.joinFirehose("sub", first, connect);
    registry.leaveFirehose("sub", first);

    Subscriber later = client("nozzle 2");
    registry.joinFirehose("sub", later, connect);

    assertEquals(2, groupsConnected.size());
    assertEquals(List.of(later), groupsConnected.get(1).members());
    assertTrue(upstream(0).closed());
    assertFalse(upstream(1).closed());
    assertEquals(1, registry.firehoses());
  }

  @Test
  void shouldIgnoreALeaveWhenTheSubscriptionOrClientIsUnknown() {
    Subscriber member = client("nozzle 1");
    registry.joinFirehose("sub", member, connect);

    registry.leaveFirehose("other", member);
    registry.leaveFirehose("sub", client("stranger"));

    assertFalse(upstream(0).closed());
    assertEquals(1, registry.firehoses());
  }

  @Test
  void shouldFeedTheGroupFromTheSharedFanInWhenEnvelopesArrive() {
    List<byte[]> sent = new ArrayList<>();
    SubscriberTransport recording =
        new SubscriberTransport() {
          @Override
          public void send(byte[] envelope, Consumer<Throwable> done) {
            sent.add(envelope);
            done.accept(null);
          }

          @Override
          public void close(int code, String reason) {}

          @Override
          public String description() {
            return "recording nozzle";
          }
        };
    Subscriber member =
        new Subscriber(
            16,
            recording,
            Runnable::run,
            new SinkCounters(Counter.local(), Counter.local(), Counter.local()),
            null,
            "test");
    registry.joinFirehose("sub", member, connect);
    byte[] envelope = {1, 2, 3};

    upstream(0).deliver(envelope);

    assertEquals(1, sent.size());
    assertSame(envelope, sent.get(0));
  }

  @Test
  void shouldCountAndCloseAppStreamsWhenTheyOpenAndClose() {
    ZoneFanIn first = fanIn(envelope -> {});
    ZoneFanIn second = fanIn(envelope -> {});

    registry.streamOpened(first);
    registry.streamOpened(second);

    assertEquals(2, registry.streams());

    registry.streamClosed(first);

    assertEquals(1, registry.streams());
    assertTrue(upstream(0).closed());
    assertFalse(upstream(1).closed());
  }

  @Test
  void shouldCloseEveryFanInWhenEverythingIsClosed() {
    registry.streamOpened(fanIn(envelope -> {}));
    registry.streamOpened(fanIn(envelope -> {}));
    registry.joinFirehose("sub-a", client("nozzle a1"), connect);
    registry.joinFirehose("sub-a", client("nozzle a2"), connect);
    registry.joinFirehose("sub-b", client("nozzle b"), connect);

    assertEquals(2, registry.streams());
    assertEquals(3, registry.firehoses());

    registry.closeAll();

    assertEquals(4, connector.opened().size());
    connector.opened().forEach(upstream -> assertTrue(upstream.closed()));
    assertEquals(0, registry.streams());
    assertEquals(0, registry.firehoses());
  }
}
