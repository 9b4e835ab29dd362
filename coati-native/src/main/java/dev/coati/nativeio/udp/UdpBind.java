package dev.coati.nativeio.udp;

import java.io.IOException;

/**
 * One bound IPv4 datagram socket with batch receive and send: UDP (recvmmsg/sendmmsg on Linux, or
 * the JDK fallback) or raw ESP, IP protocol 50 (the IPv4 header is stripped on receive; the port is
 * always 0). Opened by {@link UdpSockets}. Never blocks: wait for input with a {@link Poller}.
 * Transient send failures (full socket buffer, unreachable network) are counted, not thrown, so the
 * hot path neither allocates nor throws.
 */
public interface UdpBind extends AutoCloseable {
  /** The bound address (network-order int; 0 for the wildcard). */
  int localAddress();

  /** The bound port (0 for raw ESP). */
  int localPort();

  /** True for the FFM implementation, false for the JDK fallback. */
  boolean isNative();

  /**
   * Receives up to {@code into.capacity()} waiting datagrams into slots 0..n-1 and returns n (0 if
   * none is waiting). Datagrams that do not fit a slot or are malformed are counted in {@link
   * #receiveDrops()} and skipped.
   *
   * @throws IOException on a socket error other than "nothing waiting"
   */
  int receive(Datagrams into) throws IOException;

  /** Sends {@code len} bytes of {@code buf} at {@code off}; false (and counted) if dropped. */
  boolean send(byte[] buf, int off, int len, int address, int port);

  /** Sends slots 0..count-1 of {@code from}; returns how many left (the rest are counted). */
  int send(Datagrams from, int count);

  /** Datagrams not sent: full socket buffer, no route, message too long. */
  long sendDrops();

  /** Datagrams received but dropped: truncated, or not an IPv4/ESP packet. */
  long receiveDrops();

  @Override
  void close();
}
