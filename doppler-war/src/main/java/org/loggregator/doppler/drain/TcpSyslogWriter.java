package org.loggregator.doppler.drain;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.loggregator.doppler.drain.address.AddressGuard;

/**
 * Writes syslog frames over plain TCP ({@code syslog://}). Used by one drain's writer thread;
 * {@link #close} from any thread. Each connection goes through the {@link AddressGuard}: the host
 * is resolved and checked then, and the socket connects to the address that was checked.
 *
 * <p>The socket is non-blocking so that a write can time out, and so that before each batch the
 * writer can see whether the drain has closed the connection, as rsyslog's own forwarder does: a
 * batch is then not written into a connection that is already gone, where it would be lost.
 */
public final class TcpSyslogWriter implements DrainWriter {
  private final String host;
  private final int port;
  private final AddressGuard guard;
  private final ByteBuffer probe = ByteBuffer.allocate(256);
  private volatile SocketChannel channel;
  private volatile Selector selector;

  /**
   * @param host the drain URL's host
   * @param guard resolves and checks the host at each connection
   */
  public TcpSyslogWriter(String host, int port, AddressGuard guard) {
    this.host = host;
    this.port = port;
    this.guard = guard;
  }

  @Override
  public void connect() throws IOException {
    close();
    SocketChannel opened = guard.connect(host, port, this::dial);
    Selector opener = null;
    try {
      opened.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
      opened.configureBlocking(false);
      opener = Selector.open();
      opened.register(opener, SelectionKey.OP_WRITE);
    } catch (IOException | RuntimeException e) {
      opened.close();
      if (opener != null) {
        opener.close();
      }
      throw e;
    }
    channel = opened;
    selector = opener;
  }

  private SocketChannel dial(InetSocketAddress address) throws IOException {
    SocketChannel opened = SocketChannel.open();
    channel = opened; // so that close() from another thread ends a connect in progress
    try {
      opened.socket().connect(address, DrainWriter.CONNECT_TIMEOUT_MILLIS);
      return opened;
    } catch (IOException | RuntimeException e) {
      opened.close();
      throw e;
    }
  }

  @Override
  public void write(BatchBuffer batch) throws IOException {
    SocketChannel ch = channel;
    Selector sel = selector;
    if (ch == null || sel == null) {
      throw new ClosedChannelException();
    }
    try {
      checkOpenByPeer(ch);
      ByteBuffer bytes = ByteBuffer.wrap(batch.array(), 0, batch.length());
      while (bytes.hasRemaining()) {
        if (ch.write(bytes) == 0) {
          sel.selectedKeys().clear();
          if (sel.select(WRITE_TIMEOUT.toMillis()) == 0 && ch.write(bytes) == 0) {
            throw new SocketTimeoutException(
                "Writing timed out after " + DrainText.format(WRITE_TIMEOUT) + ".");
          }
        }
      }
    } catch (ClosedSelectorException | CancelledKeyException e) {
      throw new ClosedChannelException();
    }
  }

  /**
   * Reads (and discards) what the drain sent, {@link #MAX_PENDING_BYTES} at most; an end of stream
   * means it closed.
   */
  private void checkOpenByPeer(SocketChannel ch) throws IOException {
    int n;
    int dropped = 0;
    do {
      probe.clear();
      n = ch.read(probe);
      dropped += n;
    } while (n > 0 && dropped < MAX_PENDING_BYTES);
    if (n < 0) {
      throw new EOFException("The drain closed the connection.");
    }
  }

  @Override
  public void close() {
    SocketChannel ch = channel;
    Selector sel = selector;
    channel = null;
    selector = null;
    try {
      if (sel != null) {
        sel.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // closing anyway
    }
    try {
      if (ch != null) {
        ch.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // closing anyway
    }
  }

  @Override
  public int maxBatchFrames() {
    return 512;
  }
}
