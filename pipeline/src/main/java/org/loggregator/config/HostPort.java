package org.loggregator.config;

import java.net.InetSocketAddress;
import java.util.Optional;

/** A host name or IP literal and a port, as written in configuration ({@code 127.0.0.1:3458}). */
public record HostPort(String host, int port) {

  /** Parses {@code host:port} or {@code [v6]:port}; empty when it is not one. */
  public static Optional<HostPort> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      return Optional.empty();
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.indexOf(':') >= 0) {
      return Optional.empty();
    }
    if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    try {
      int port = Integer.parseInt(t.substring(colon + 1));
      return port >= 1 && port <= 65535 ? Optional.of(new HostPort(host, port)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The same port at {@code address}, one of the addresses this host name resolves to. */
  public HostPort at(String address) {
    return new HostPort(address, port);
  }

  /** An unresolved socket address; resolve it once, at start-up, where it is used. */
  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(host, port);
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
