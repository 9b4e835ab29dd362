package dev.coati.nativeio.udp;

import java.io.IOException;

/**
 * Waits until any of a fixed set of sockets has datagrams: poll(2) for the FFM sockets, a JDK
 * {@link java.nio.channels.Selector} for the fallback. Made by {@link UdpSockets#poller}; used by
 * one thread.
 */
public interface Poller extends AutoCloseable {
  /**
   * Blocks up to {@code timeoutMillis} (at least 0) for input; returns how many sockets are ready
   * (0 on timeout or a signal).
   */
  int await(long timeoutMillis) throws IOException;

  /** After {@link #await}: whether socket {@code index} (in the order given) has input. */
  boolean readable(int index);

  @Override
  void close();
}
