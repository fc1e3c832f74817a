package org.loggregator.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.loggregator.config.InvalidSettingException;
import org.loggregator.config.Settings;
import org.loggregator.metrics.Counter;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.sink.SinkCounters;
import org.loggregator.sink.Subscriber;
import org.loggregator.sink.SubscriberTransport;

class ClientBudgetsTest {

  private static Settings settings(Map<String, String> values) {
    return new Settings(key -> Optional.ofNullable(values.get(key)));
  }

  @Test
  void shouldQueueFourMebibytesPerClientWhenNothingIsSet() {
    assertEquals(4L << 20, ClientBudgets.from(settings(Map.of())).clientQueueBytes());
  }

  @Test
  void shouldReadTheClientQueueBytesWithAUnitWhenSet() {
    assertEquals(
        256L << 10,
        ClientBudgets.from(settings(Map.of(ClientBudgets.CLIENT_QUEUE_BYTES, "256KiB")))
            .clientQueueBytes());
  }

  @Test
  void shouldRefuseABudgetBelowTheLargestDatagramNamingTheKeyInOneSentence() {
    InvalidSettingException e =
        assertThrows(
            InvalidSettingException.class,
            () -> ClientBudgets.from(settings(Map.of(ClientBudgets.CLIENT_QUEUE_BYTES, "1KiB"))));

    assertEquals(ClientBudgets.CLIENT_QUEUE_BYTES, e.key());
    assertEquals(
        "Configuration value controller.clientQueueBytes must be a size from 65536 to 1073741824"
            + " bytes (such as 8MiB or 65536), but is \"1KiB\".",
        e.getMessage());
  }

  /** A client that never finishes reading its first envelope. */
  private static final class StuckClient implements SubscriberTransport {
    final List<byte[]> sends = new ArrayList<>();
    Consumer<Throwable> pending;

    @Override
    public void send(byte[] envelope, Consumer<Throwable> done) {
      sends.add(envelope);
      if (pending == null && sends.size() == 1) {
        pending = done;
      } else {
        done.accept(null);
      }
    }

    void readAgain() {
      Consumer<Throwable> done = pending;
      pending = null;
      done.accept(null);
    }

    @Override
    public void close(int code, String reason) {}

    @Override
    public String description() {
      return "stream subscriber 7";
    }
  }

  @Test
  void shouldDropTheOldestAndTellTheClientWhenItsQueueReachesTheClientQueueBytes()
      throws Exception {
    long budget = ClientBudgets.MIN_QUEUE_BYTES;
    Counter slowConsumer = Counter.local();
    SinkCounters counters = new SinkCounters(slowConsumer, Counter.local(), Counter.local());
    StuckClient client = new StuckClient();
    Subscriber subscriber =
        new Subscriber(
            1000, budget, client, Runnable::run, counters, "app", "traffic-controller", 0);

    for (int i = 0; i < 10; i++) {
      byte[] envelope = new byte[20_000];
      envelope[0] = (byte) i;
      subscriber.offer(envelope); // 0 in flight; 1..9 compete for 64 KiB: three fit
    }

    assertEquals(3, subscriber.queued());
    assertEquals(6, slowConsumer.count(), "in the controller's slow-consumer counter");

    client.readAgain();

    assertEquals(5, client.sends.size());
    String notice =
        Envelope.parseFrom(client.sends.get(1)).getLogMessage().getMessage().toStringUtf8();
    assertEquals(
        "Log message output too high. We've dropped 6 messages to stream subscriber 7.", notice);
    assertTrue(client.sends.get(4)[0] == 9, "the newest is sent last");
    assertEquals(0, subscriber.queuedBytes());
  }
}
