package org.loggregator.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loggregator.protocol.EnvelopeReader;
import org.loggregator.protocol.ReadResult;
import org.loggregator.protocol.RoutingFields;

class LoadHarnessPartsTest {
  @TempDir Path dir;

  @Test
  void shouldSumTheSamplesOfAMetricWhoseLabelsMatch() {
    String text =
        """
        # HELP x
        messageRouter_totalDroppedMessages_total{component="doppler",direction="egress",} 12.0
        messageRouter_totalDroppedMessages_total{component="doppler",direction="ingress",} 5.0
        messageRouter_totalDroppedMessages_total{component="controller",direction="egress",} 7.0
        messageRouter_totalDroppedMessagesOther_total{component="doppler",direction="egress",} 99.0
        agent_droppedMessages_total 3
        """;

    assertEquals(
        12.0,
        Scrape.sum(
            text,
            "messageRouter_totalDroppedMessages_total",
            "component=\"doppler\"",
            "direction=\"egress\""));
    assertEquals(24.0, Scrape.sum(text, "messageRouter_totalDroppedMessages_total"));
    assertEquals(3.0, Scrape.sum(text, "agent_droppedMessages_total"));
    assertEquals(0.0, Scrape.sum(text, "absent_total"));
  }

  @Test
  void shouldReadTheKernelsUdpReceiveBufferErrors() throws Exception {
    Path snmp = dir.resolve("snmp");
    Files.writeString(
        snmp,
        "Ip: Forwarding DefaultTTL\nIp: 1 64\n"
            + "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
            + "Udp: 10 0 4 9 4 0\n"
            + "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors\n"
            + "UdpLite: 0 0 0 0 0 0\n");

    assertEquals(4, Scrape.udpReceiveBufferErrors(snmp));
  }

  @Test
  void shouldReadThisProcesssCpuTime() throws Exception {
    double cpu = Scrape.cpuSeconds(ProcessHandle.current().pid(), 100);

    assertTrue(cpu > 0, "a JVM that ran tests has used CPU: " + cpu);
  }

  @Test
  void shouldReadTheCpuTimeOfEachThreadByTheNameTheKernelKeeps() throws Exception {
    Thread busy =
        new Thread(
            () -> {
              long until = System.nanoTime() + 300_000_000L;
              long spins = 0;
              while (System.nanoTime() < until) {
                spins++;
              }
              assertTrue(spins > 0);
            },
            "scrape-busy-thread-with-a-long-name");
    busy.start();
    Thread.sleep(200);

    var threads = Scrape.threadCpuSeconds(ProcessHandle.current().pid(), 100);
    busy.join();

    double[] busyThread = threads.get("scrape-busy-thr");
    assertTrue(busyThread[0] + busyThread[1] > 0, "user and system seconds: " + busyThread[0]);
    assertTrue(threads.values().stream().allMatch(s -> s[0] >= 0 && s[1] >= 0));
  }

  @Test
  void shouldTakeTheRunOfMedianLossAtARate() {
    RunResult a = run(1000, 0);
    RunResult b = run(1000, 10);
    RunResult c = run(1000, 3);

    assertEquals(c, LossTable.median(List.of(a, b, c)));
    assertEquals(a, LossTable.median(List.of(a, b)), "of two, the lower");
  }

  @Test
  void shouldWriteTheTableWithEachHopsLoss() {
    String table = LossTable.markdown(List.of(run(30_000, 30)));

    assertTrue(
        table.contains(
            "| warm | batched | 30,000 | 300,000 | 300,000 | 299,980 | 299,970 | 0 | 20 | 4 | 6 |"),
        table);
    assertTrue(table.contains("| 0.010 % |"), table);
  }

  @Test
  void shouldReadBackTheCsvItWrites() {
    RunResult a = run(500, 0);
    RunResult b = run(0, 3000);
    List<String> lines =
        List.of(
            LossTable.csvHeader().trim(),
            LossTable.csvLine(a, 1).trim(),
            LossTable.csvLine(b, 1).trim());

    List<List<RunResult>> parsed = LossTable.parseCsv(lines);

    assertEquals(2, parsed.size());
    assertEquals(a.consumed(), parsed.get(0).get(0).consumed());
    assertEquals(b.sent(), parsed.get(1).get(0).sent());
    assertEquals(0, parsed.get(1).get(0).rate());
  }

  @Test
  void shouldPlotToAPng() throws Exception {
    Path png = dir.resolve("loss.png");

    LossPlot.write(List.of(run(500, 0), run(30_000, 30), run(0, 3000)), "test", png);

    byte[] bytes = Files.readAllBytes(png);
    assertEquals((byte) 0x89, bytes[0]);
    assertEquals('P', bytes[1]);
  }

  @Test
  void shouldStampEachEnvelopeWithTheTimeItWasDueNotTheTimeItLeft() throws Exception {
    try (DatagramChannel receiver =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel sender =
            PacedGenerator.connect((InetSocketAddress) receiver.getLocalAddress())) {
      PacedGenerator generator = new PacedGenerator("my-app", 211);

      long sent = generator.run(sender, 1000, 20_000_000L);

      ByteBuffer buffer = ByteBuffer.allocate(2048);
      RoutingFields fields = new RoutingFields();
      EnvelopeReader reader = new EnvelopeReader();
      long first = 0;
      for (int i = 0; i < sent; i++) {
        buffer.clear();
        receiver.receive(buffer);
        assertEquals(ReadResult.OK, reader.read(buffer.array(), 0, buffer.position(), fields));
        if (i == 0) {
          first = fields.timestamp();
        }
        assertEquals(first + i * 1_000_000L, fields.timestamp(), "envelope " + i + " of 1,000/s");
      }
    }
  }

  @Test
  void shouldMeasureBothKindsOfClientUnlessToldWhich() {
    String[] pids = {"--server-pid", "1", "--agent-pid", "2"};
    LoadOptions both = LoadOptions.parse(pids);
    assertEquals(
        List.of(StreamConsumer.Kind.BATCHED, StreamConsumer.Kind.UNBATCHED), both.clients());
    assertEquals("warm", both.condition());
    LoadOptions jump =
        LoadOptions.parse(
            new String[] {
              "--server-pid", "1", "--agent-pid", "2", "--unbatched", "--jump-from", "1000"
            });
    assertEquals(List.of(StreamConsumer.Kind.UNBATCHED), jump.clients());
    assertEquals("from-1000", jump.condition());
    assertEquals(1000, jump.jumpFrom());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LoadOptions.parse(
                    new String[] {"--server-pid", "1", "--agent-pid", "2", "--clients", "all"}));
    assertTrue(e.getMessage().startsWith("--clients must be both"), e.getMessage());
  }

  @Test
  void shouldKeepEachConditionAndClientApartWhenReadingTheCsvBack() {
    RunResult warm = run(500, 0);
    RunResult cold =
        new RunResult(
            "cold", "unbatched", 500, 10, 5000, 5000, 0, 5000, 0, 0, 4990, 0, 0, 1, 1, 1, 0.5, 5);
    List<String> lines =
        List.of(
            LossTable.csvHeader().trim(),
            LossTable.csvLine(warm, 1).trim(),
            LossTable.csvHeader().trim(),
            LossTable.csvLine(cold, 1).trim());

    List<List<RunResult>> parsed = LossTable.parseCsv(lines);

    assertEquals(2, parsed.size());
    assertEquals(cold, parsed.get(1).get(0));
  }

  @Test
  void shouldSendDatagramsOfExactlyTheAskedSizeThatReadAsTheApps() throws Exception {
    try (DatagramChannel receiver =
            DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        DatagramChannel sender =
            PacedGenerator.connect((InetSocketAddress) receiver.getLocalAddress())) {
      PacedGenerator generator = new PacedGenerator("my-app", 211);

      long sent = generator.run(sender, 1000, 20_000_000L);

      assertEquals(20, sent);
      ByteBuffer buffer = ByteBuffer.allocate(2048);
      receiver.receive(buffer);
      assertEquals(211, buffer.position());
      RoutingFields fields = new RoutingFields();
      assertEquals(ReadResult.OK, new EnvelopeReader().read(buffer.array(), 0, 211, fields));
      assertEquals("my-app", fields.appId());
    }
  }

  @Test
  void shouldNameTheOptionThatIsWrong() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                LoadOptions.parse(
                    new String[] {"--server-pid", "1", "--agent-pid", "2", "--runs", "x"}));
    assertTrue(e.getMessage().startsWith("--runs must be a positive whole number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LoadOptions.parse(new String[] {}));
    assertTrue(
        e.getMessage().startsWith("--server-pid and --agent-pid are required"), e.getMessage());
    assertEquals(List.of(500, 10_000, 0), LoadOptions.parseRates("500,10k,unlimited"));
  }

  private static RunResult run(int rate, long lost) {
    long sent = rate == 0 ? 1_000_000 : rate * 10L;
    long atDoppler = sent - lost * 2 / 3;
    long queues = atDoppler - (sent - lost);
    return new RunResult(
        "warm",
        "batched",
        rate,
        10,
        sent,
        sent,
        0,
        atDoppler,
        queues * 2 / 5,
        queues - queues * 2 / 5,
        sent - lost,
        0,
        0,
        1,
        1,
        1,
        0.5,
        5);
  }
}
