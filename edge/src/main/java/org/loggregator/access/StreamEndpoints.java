package org.loggregator.access;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import java.util.List;

/**
 * Registers an application's log streams with its WebSocket container as the application deploys:
 * each {@link StreamRoute} at its route's path, served by a {@link GuardedStreamEndpoint} and fed
 * by the application's {@link #feed()}. Each application subclasses it with its
 * {@code @WebListener}, naming its streams.
 */
public abstract class StreamEndpoints<F> implements ServletContextListener {
  private final List<StreamRoute<F>> streams;

  protected StreamEndpoints(List<StreamRoute<F>> streams) {
    this.streams = List.copyOf(streams);
  }

  /**
   * What feeds the streams: the application's bean, injected as a proxy, so that it is resolved at
   * each call, once the application has started.
   */
  protected abstract F feed();

  List<StreamRoute<F>> streams() {
    return streams;
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServerContainer container =
        (ServerContainer) event.getServletContext().getAttribute(ServerContainer.class.getName());
    if (container == null) {
      throw new IllegalStateException(
          "The server serves no WebSocket: its websocket feature is off.");
    }
    F feed = feed();
    for (StreamRoute<F> stream : streams) {
      try {
        container.addEndpoint(stream.config(feed));
      } catch (DeploymentException e) {
        throw new IllegalStateException(
            "Cannot serve " + stream.route().template() + ": " + e.getMessage(), e);
      }
    }
  }
}
