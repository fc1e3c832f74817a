package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.loggregator.protocol.TestEnvelopes;
import org.loggregator.protocol.events.Envelope;
import org.loggregator.protocol.events.LogMessage;

/**
 * Drains against real peers: Debian's rsyslog (plain TCP and TLS, started by the test on a loopback
 * port) and an HTTPS server in this JVM. Apps are bound the way agents bind them, through the
 * {@code drain_urls} tag of their envelopes; what the drains tell the app shows in its recent logs,
 * as {@code logs APP} would show it. The test server trusts the test certificate authority
 * (doppler.drainTrustStore), keeps 1000 lines per drain and backs off at most 5 s.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DrainIT {
  private static final Path TLS =
      Path.of(System.getProperty("drain.tls.dir", "../doppler-war/src/test/resources/drain-tls"));
  private static final long BASE_NANOS = 1_700_000_000_123_456_789L;
  private static final DateTimeFormatter RFC3339_MICROS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private final DopplerClient doppler = new DopplerClient();
  private final List<AutoCloseable> peers = new ArrayList<>();

  @Deployment(testable = false)
  static WebArchive doppler() {
    return TestServer.war("doppler.war", "doppler.war");
  }

  @AfterEach
  void stopPeers() throws Exception {
    for (AutoCloseable peer : peers) {
      peer.close();
    }
    doppler.close();
  }

  private Rsyslog rsyslog(String name, Rsyslog.Tls tls) {
    Rsyslog rsyslog = tls == null ? Rsyslog.startTcp(name) : Rsyslog.startTls(name, tls);
    peers.add(rsyslog);
    return rsyslog;
  }

  // ---- what an agent sends, and what rsyslog must write for it

  /** One log line as the agent sends it, with its drain bindings in the tag. */
  record Line(
      String appId,
      String text,
      LogMessage.MessageType type,
      String sourceType,
      String instance,
      long nanos,
      String drainUrls) {

    byte[] envelope() {
      Envelope.Builder envelope =
          TestEnvelopes.log(appId, text, nanos).setOrigin("it").putTags("drain_urls", drainUrls);
      envelope
          .getLogMessageBuilder()
          .setMessageType(type)
          .setSourceType(sourceType)
          .setSourceInstance(instance);
      return TestEnvelopes.bytes(envelope);
    }

    /**
     * docs/PROTOCOL.md, Syslog drains, as rsyslog's raw-message file shows it (newlines as #012).
     */
    String expectedInRsyslog() {
      String message = text.replace("\0", "");
      while (message.endsWith("\n")) {
        message = message.substring(0, message.length() - 1);
      }
      String frame =
          (type == LogMessage.MessageType.ERR ? "<11>" : "<14>")
              + "1 "
              + RFC3339_MICROS.format(Instant.ofEpochSecond(0, nanos))
              + " loggregator "
              + appId
              + " ["
              + sourceType.toUpperCase(Locale.ROOT)
              + "/"
              + instance
              + "] - - "
              + message
              + "\n";
      return frame.replace("\n", "#012");
    }
  }

  private static Line line(String appId, String text, String drainUrls, int i) {
    return new Line(
        appId, text, LogMessage.MessageType.OUT, "APP", "0", BASE_NANOS + i * 1_001L, drainUrls);
  }

  private void send(List<Line> lines) throws InterruptedException {
    for (int i = 0; i < lines.size(); i++) {
      doppler.sendSigned(lines.get(i).envelope());
      if (i % 100 == 99) {
        Thread.sleep(10); // stay well under the kernel's UDP receive buffer
      }
    }
  }

  private List<String> notices(String appId) {
    List<String> notices = new ArrayList<>();
    for (byte[] envelope : doppler.getEnvelopes("/apps/" + appId + "/recentlogs")) {
      try {
        LogMessage log = Envelope.parseFrom(envelope).getLogMessage();
        if ("LGR".equals(log.getSourceType())) {
          notices.add(log.getMessage().toStringUtf8());
        }
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return notices;
  }

  private List<String> awaitNotices(String appId, String containing, int seconds)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    List<String> found = List.of();
    while (System.nanoTime() < deadline) {
      found = notices(appId).stream().filter(n -> n.contains(containing)).toList();
      if (!found.isEmpty()) {
        return found;
      }
      Thread.sleep(200);
    }
    return found;
  }

  private static double drainMetric(String name, String label) {
    return TestServer.metric(name, "component=\"doppler\"", label);
  }

  private static String appId(String purpose) {
    return purpose + "-" + UUID.randomUUID();
  }

  // ---- the tests

  @Test
  void shouldDeliverEveryLineToRsyslogFormattedExactlyWhenAnAppIsBound() throws Exception {
    Rsyslog rsyslog = rsyslog("tcp", null);
    String appId = appId("drain");
    String url = "syslog://127.0.0.1:" + rsyslog.port();
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      String text =
          switch (i % 5) {
            case 0 -> "plain line " + i;
            case 1 -> "two lines " + i + "\nsecond part";
            case 2 -> "with a NUL\0 byte " + i;
            case 3 -> "trailing newline " + i + "\n";
            default -> "utf-8 grüße ✓ " + i;
          };
      lines.add(
          i % 10 == 9
              ? new Line(
                  appId, text, LogMessage.MessageType.ERR, "rtr", "1", BASE_NANOS + i * 1_001L, url)
              : line(appId, text, url, i));
    }
    double sentBefore = drainMetric("drain_sentMessages_total", "scheme=\"syslog\"");

    send(lines);

    List<String> received = rsyslog.await(l -> l.contains(" " + appId + " "), lines.size(), 60);
    assertEquals(lines.stream().map(Line::expectedInRsyslog).toList(), received);
    assertTrue(
        drainMetric("drain_sentMessages_total", "scheme=\"syslog\"") - sentBefore >= lines.size());
    assertTrue(drainMetric("drain_activeDrains", "scheme=\"syslog\"") >= 1);
    assertTrue(
        TestServer.metric("messageRouter_numberOfSyslogSinks", "component=\"doppler\"") >= 1);
    assertEquals(List.of(), notices(appId), "nothing to tell the app");
  }

  @Test
  void shouldDeliverOverVerifiedTlsAndRefuseAnUnverifiableCertificateUnlessOptedOut()
      throws Exception {
    Rsyslog trusted =
        rsyslog(
            "tls-trusted", new Rsyslog.Tls(TLS.resolve("server.pem"), TLS.resolve("server.key")));
    Rsyslog selfSigned =
        rsyslog(
            "tls-self-signed",
            new Rsyslog.Tls(TLS.resolve("untrusted.pem"), TLS.resolve("untrusted.key")));
    String verified = appId("tls");
    String refused = appId("tls-refused");
    String optedOut = appId("tls-skip"); // at most 48 bytes: RFC 5424's APP-NAME
    String refusedUrl = "syslog-tls://127.0.0.1:" + selfSigned.port();
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      lines.add(line(verified, "verified " + i, "syslog-tls://127.0.0.1:" + trusted.port(), i));
      lines.add(line(refused, "refused " + i, refusedUrl, i));
      lines.add(line(optedOut, "opted out " + i, refusedUrl + "?skip-cert-verify=true", i));
    }

    send(lines);

    assertEquals(20, trusted.await(l -> l.contains(" " + verified + " "), 20, 60).size());
    assertEquals(20, selfSigned.await(l -> l.contains(" " + optedOut + " "), 20, 60).size());
    List<String> told = awaitNotices(refused, "could not deliver", 30);
    assertFalse(told.isEmpty(), "the app is told its drain's certificate is refused");
    System.out.println("TLS refusal notice: " + told.get(0));
    assertTrue(
        told.get(0)
            .startsWith("Syslog drain " + refusedUrl + ": could not deliver. Backing off for "),
        told.get(0));
    // Only the operator's log says why (an unaccepted certificate): an app's owner learns nothing
    // that would tell an open port from a closed one.
    assertTrue(!told.get(0).contains("certificate"), told.get(0));
    assertTrue(
        selfSigned.lines().stream().noneMatch(l -> l.contains(" " + refused + " ")),
        "nothing reached the drain that could not be verified");
    assertEquals(
        lines.stream()
            .filter(l -> l.appId().equals(verified))
            .map(Line::expectedInRsyslog)
            .toList(),
        trusted.lines());
  }

  @Test
  void shouldNoticeDropsAndBackoffsAndResumeWhenTheDrainIsDownFor30Seconds() throws Exception {
    Rsyslog rsyslog = rsyslog("down", null);
    String appId = appId("down");
    String url = "syslog://127.0.0.1:" + rsyslog.port();
    send(List.of(line(appId, "before", url, 0)));
    assertEquals(1, rsyslog.await(l -> l.contains(" " + appId + " "), 1, 30).size());
    double errorsBefore = drainMetric("drain_errors_total", "scheme=\"syslog\"");
    double droppedBefore = drainMetric("drain_droppedMessages_total", "scheme=\"syslog\"");

    rsyslog.stop();
    long stoppedAt = System.nanoTime();
    List<Line> during = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      during.add(line(appId, "during " + i, url, i + 1));
    }
    send(during); // twice what the drain's queue holds
    while (System.nanoTime() - stoppedAt < TimeUnit.SECONDS.toNanos(30)) {
      Thread.sleep(500);
    }
    List<String> toldWhileDown = notices(appId);
    rsyslog.start();
    long restartedAt = System.nanoTime();
    Line after = line(appId, "after", url, 3000);
    send(List.of(after)); // into the full queue: it drops the oldest

    List<String> resumed = rsyslog.await(l -> l.equals(after.expectedInRsyslog()), 1, 60);
    double resumeSeconds = (System.nanoTime() - restartedAt) / 1e9;
    List<String> delivered =
        rsyslog.lines().stream().filter(l -> l.contains(" - - during ")).toList();
    Pattern dropped =
        Pattern.compile(
            "Log message output too high\\. We've dropped (\\d+) messages to drain "
                + Pattern.quote(url)
                + "\\.");
    List<String> told = notices(appId);
    long droppedTold = droppedTold(told, dropped);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (droppedTold + delivered.size() < during.size() && System.nanoTime() < deadline) {
      Thread.sleep(200); // a drop is told at the next sweep, within a second
      told = notices(appId);
      droppedTold = droppedTold(told, dropped);
    }
    List<String> backoffs = told.stream().filter(n -> n.contains("could not deliver")).toList();
    List<String> drops =
        told.stream().filter(n -> n.startsWith("Log message output too high.")).toList();
    System.out.printf(
        "Drain down for 30 s: %d backoff notices, %d drop notices, %d of %d lines sent meanwhile"
            + " delivered after it came back, resumed %.1f s after the restart%n",
        backoffs.size(), drops.size(), delivered.size(), during.size(), resumeSeconds);
    told.forEach(n -> System.out.println("  " + n));

    assertEquals(1, resumed.size(), "delivery resumed by itself");
    assertTrue(
        toldWhileDown.stream().filter(n -> n.contains("could not deliver")).count() >= 2,
        "a notice per backoff step while the drain is down: " + toldWhileDown);
    Pattern backoff =
        Pattern.compile(
            "Syslog drain "
                + Pattern.quote(url)
                + ": could not deliver\\. Backing off for [0-9.]+m?s\\.");
    backoffs.forEach(n -> assertTrue(backoff.matcher(n).matches(), n));
    double errors = drainMetric("drain_errors_total", "scheme=\"syslog\"") - errorsBefore;
    assertTrue(backoffs.size() <= errors, "at most one notice per failed attempt");
    drops.forEach(n -> assertTrue(dropped.matcher(n).matches(), n));
    assertTrue(droppedTold > 0, "the app is told of the lines its full queue dropped");
    assertEquals(
        during.size(),
        droppedTold + delivered.size(),
        "every line sent while the drain was down was delivered or told as dropped");
    assertTrue(
        drainMetric("drain_droppedMessages_total", "scheme=\"syslog\"") - droppedBefore
            >= droppedTold);
    assertTrue(
        delivered.contains(during.get(during.size() - 1).expectedInRsyslog()),
        "the newest lines were kept and delivered");
    assertTrue(
        delivered.size() <= 1000 + 512, "no more than the queue and one batch in hand were kept");
  }

  private static long droppedTold(List<String> notices, Pattern dropped) {
    long total = 0;
    for (String n : notices) {
      Matcher m = dropped.matcher(n);
      if (m.matches()) {
        total += Long.parseLong(m.group(1));
      }
    }
    return total;
  }

  @Test
  void shouldPostEveryLineWithItsCredentialsWhenBoundToAnHttpsDrain() throws Exception {
    List<String> frames = new CopyOnWriteArrayList<>();
    List<String> authorizations = new CopyOnWriteArrayList<>();
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext("server")));
    server.createContext(
        "/logs",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
          frames.addAll(octetCountedFrames(body));
          exchange.sendResponseHeaders(
              "text/plain; charset=utf-8"
                      .equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                  ? 204
                  : 415,
              -1);
          exchange.close();
        });
    server.start();
    peers.add(() -> server.stop(0));
    String appId = appId("https");
    String url =
        "https://drain:s3cret@127.0.0.1:" + server.getAddress().getPort() + "/logs?token=t";
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      lines.add(line(appId, "posted " + i, url, i));
    }

    send(lines);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (frames.size() < lines.size() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertEquals(
        lines.stream().map(l -> l.expectedInRsyslog().replace("#012", "\n")).toList(), frames);
    assertEquals(
        "Basic "
            + Base64.getEncoder().encodeToString("drain:s3cret".getBytes(StandardCharsets.UTF_8)),
        authorizations.get(0));
    System.out.println(
        "HTTPS drain: " + lines.size() + " lines in " + authorizations.size() + " POSTs");
    assertFalse(TestServer.messagesLog().contains("s3cret"), "credentials are never logged");
  }

  @Test
  void shouldDenyDrainsToPrivateMetadataAndOwnAddressesAndSaySoWithoutConnecting()
      throws Exception {
    // Refused by the address policy before any connection: no packet leaves this machine.
    record Denied(String appId, String url, String notice) {}
    List<Denied> cases =
        List.of(
            new Denied(
                appId("private"),
                "syslog://10.1.2.3:514",
                "drain syslog://10.1.2.3:514 denied: private address (10.0.0.0/8)"),
            new Denied(
                appId("metadata"),
                "https://169.254.169.254/latest/meta-data?token=x",
                "drain https://169.254.169.254:443 denied: link-local address"),
            new Denied(
                appId("own-port"),
                "syslog://127.0.0.1:" + TestServer.HTTP_PORT,
                "drain syslog://127.0.0.1:" + TestServer.HTTP_PORT + " denied: this server's own"));
    double deniedBefore = drainMetric("drain_deniedConnections_total", "reason=\"private\"");
    for (Denied c : cases) {
      send(List.of(line(c.appId(), "a line for a denied drain", c.url(), 1)));
    }
    for (Denied c : cases) {
      List<String> told = awaitNotices(c.appId(), "denied", 30);
      assertFalse(told.isEmpty(), c.url());
      assertTrue(told.get(0).startsWith(c.notice()), told.get(0));
      assertFalse(told.get(0).contains("token"), "the URL is redacted: " + told.get(0));
    }
    assertTrue(drainMetric("drain_deniedConnections_total", "reason=\"private\"") > deniedBefore);
  }

  @Test
  void shouldTellTheAppAndDisturbNothingElseWhenADrainUrlIsBadOrMalformed() throws Exception {
    Rsyslog rsyslog = rsyslog("bad-url", null);
    String appId = appId("bad-url");
    String tag =
        "ftp://user:pw@files.example.com/x syslog://127.0.0.1:"
            + rsyslog.port()
            + " https://[broken:pw@host/";
    double refusedBefore = drainMetric("drain_refusedBindings_total", "reason=\"invalidUrl\"");
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      lines.add(line(appId, "still delivered " + i, tag, i));
    }

    send(lines);

    assertEquals(
        lines.stream().map(Line::expectedInRsyslog).toList(),
        rsyslog.await(l -> l.contains(" " + appId + " "), lines.size(), 60));
    List<String> told = notices(appId);
    System.out.println("Bad drain URL notices: " + told);
    assertEquals(2, told.size(), told.toString());
    assertTrue(
        told.contains(
            "Drain URL ftp://files.example.com has the unsupported scheme \"ftp\": use"
                + " syslog://, syslog-tls:// or https://."),
        told.toString());
    assertTrue(told.stream().anyMatch(n -> n.contains("is malformed")), told.toString());
    assertTrue(told.stream().noneMatch(n -> n.contains("pw")), told.toString());
    assertEquals(
        2, drainMetric("drain_refusedBindings_total", "reason=\"invalidUrl\"") - refusedBefore);
    assertEquals(lines.size() + 2, doppler.getEnvelopes("/apps/" + appId + "/recentlogs").size());
    assertEquals(200, TestServer.get("/health/ready").statusCode());
  }

  // ---- helpers for the HTTPS peer

  private static List<String> octetCountedFrames(byte[] body) {
    List<String> frames = new ArrayList<>();
    int pos = 0;
    while (pos < body.length) {
      int space = pos;
      while (body[space] != ' ') {
        space++;
      }
      int length = Integer.parseInt(new String(body, pos, space - pos, StandardCharsets.US_ASCII));
      frames.add(new String(body, space + 1, length, StandardCharsets.UTF_8));
      pos = space + 1 + length;
    }
    return frames;
  }

  private static SSLContext serverContext(String name) throws Exception {
    Certificate[] chain;
    try (InputStream in = Files.newInputStream(TLS.resolve(name + ".pem"))) {
      chain =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(in)
              .toArray(Certificate[]::new);
    }
    String pem = Files.readString(TLS.resolve(name + ".key"), StandardCharsets.US_ASCII);
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", key, new char[0], chain);
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
