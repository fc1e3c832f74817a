package org.loggregator.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.loggregator.metrics.MetricName;

class FirehoseGroupTest {

  private final SinkCounters counters = new SinkCounters(MetricName.localCounters(), Map.of());
  private final FirehoseGroup group = new FirehoseGroup();

  private static byte[] envelope(int n) {
    return ("envelope " + n).getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> texts(RecordingTransport transport) {
    return transport.sends().stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
  }

  private Subscriber member(RecordingTransport transport) {
    Subscriber subscriber =
        new Subscriber(100, transport, Runnable::run, counters, null, "doppler");
    group.join(subscriber);
    return subscriber;
  }

  @Test
  void shouldGiveEachEnvelopeToExactlyOneMemberInTurnWhenSeveralShareASubscription() {
    List<RecordingTransport> transports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RecordingTransport transport = RecordingTransport.inline("nozzle " + i);
      transports.add(transport);
      member(transport);
    }

    for (int i = 0; i < 9; i++) {
      assertTrue(group.offer(envelope(i)));
    }

    assertEquals(List.of("envelope 0", "envelope 3", "envelope 6"), texts(transports.get(0)));
    assertEquals(List.of("envelope 1", "envelope 4", "envelope 7"), texts(transports.get(1)));
    assertEquals(List.of("envelope 2", "envelope 5", "envelope 8"), texts(transports.get(2)));
  }

  @Test
  void shouldDeliverTheWholeStreamTogetherWhenMembersShareIt() {
    RecordingTransport first = RecordingTransport.inline("nozzle 1");
    RecordingTransport second = RecordingTransport.inline("nozzle 2");
    member(first);
    member(second);

    for (int i = 0; i < 1_001; i++) {
      group.offer(envelope(i));
    }

    Set<String> together = new HashSet<>(texts(first));
    together.addAll(texts(second));
    assertEquals(1_001, together.size());
    assertEquals(1_001, first.sendCount() + second.sendCount(), "no envelope went to both");
  }

  @Test
  void shouldGiveEverythingToTheOnlyMemberWhenThereIsOne() {
    RecordingTransport only = RecordingTransport.inline("nozzle");
    member(only);

    for (int i = 0; i < 5; i++) {
      group.offer(envelope(i));
    }

    assertEquals(5, only.sendCount());
  }

  @Test
  void shouldRefuseAnEnvelopeWhenTheGroupHasNoMembers() {
    assertFalse(group.offer(envelope(0)));
    assertEquals(0, group.size());
  }

  @Test
  void shouldReportEmptyOnlyWhenTheLastMemberLeaves() {
    Subscriber first = member(RecordingTransport.inline("nozzle 1"));
    Subscriber second = member(RecordingTransport.inline("nozzle 2"));
    assertEquals(2, group.size());

    assertFalse(group.leave(first));
    assertEquals(List.of(second), group.members());
    assertFalse(group.leave(first), "leaving twice changes nothing");
    assertTrue(group.leave(second));
    assertEquals(0, group.size());
    assertFalse(group.offer(envelope(0)));
  }

  @Test
  void shouldGiveEverythingToTheRemainingMemberWhenAnotherLeaves() {
    RecordingTransport staying = RecordingTransport.inline("nozzle 1");
    member(staying);
    Subscriber leaving = member(RecordingTransport.inline("nozzle 2"));

    group.leave(leaving);
    for (int i = 0; i < 4; i++) {
      group.offer(envelope(i));
    }

    assertEquals(4, staying.sendCount());
  }
}
