package it.org.loggregator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.loggregator.auth.PemKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;

/**
 * An all-in-one server of a viewer test's own (ports of its own, recent logs of 1,000 lines per
 * app), with a sender of one app's lines into its doppler and tokens signed by its key.
 */
final class ViewerServer implements AutoCloseable {
  final String base;
  final int udpPort;
  final AppLines lines;
  private final LocalTopology topology;
  private final TokenMinter minter;

  private ViewerServer(
      String base, int udpPort, AppLines lines, LocalTopology topology, TokenMinter minter) {
    this.base = base;
    this.udpPort = udpPort;
    this.lines = lines;
    this.topology = topology;
    this.minter = minter;
  }

  /**
   * Starts the server {@code name} on {@code httpPort}, its doppler's UDP port two above and its
   * controller's inbound UDP port three above, and waits until it is ready.
   */
  static ViewerServer start(String name, int httpPort, String app) throws Exception {
    int udpPort = httpPort + 2;
    int inboundPort = httpPort + 3;
    LocalTopology topology = new LocalTopology(name, 0, 0, 0, httpPort);
    try {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("CONTROLLER_INBOUNDPORT", "" + inboundPort);
      env.put("DOPPLER_RECENTLOGS", "1000");
      LocalTopology.Server server = topology.addAllInOne(name, httpPort, udpPort, env);
      topology.startAll();
      TokenMinter minter =
          new TokenMinter(
              PemKeys.readPrivate(
                  topology.serverDir(server).resolve("resources/security/token-private.pem")));
      return new ViewerServer(
          "http://127.0.0.1:" + httpPort, udpPort, new AppLines(udpPort, app), topology, minter);
    } catch (Exception | Error e) {
      topology.close();
      throw e;
    }
  }

  /** A token that grants the apps' logs. */
  String token(String... apps) {
    return minter.mint(TokenClaims.forApps(apps));
  }

  /** Stops the sender and the server, and removes the server. */
  @Override
  public void close() throws Exception {
    lines.close();
    topology.close();
  }
}
