package org.loggregator.controller.proxy;

/** One open connection to a doppler endpoint; closing it never throws. */
public interface Upstream extends AutoCloseable {
  @Override
  void close();
}
