package dev.coati.nativeio.udp;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * struct sockaddr_in (16 bytes): sin_family in host order, then port and address in network order.
 * IPv4 addresses travel through this package as an {@code int} in network order (the first octet is
 * the high byte), so a datagram's source costs no allocation.
 */
final class Sockaddr {
  private static final ValueLayout.OfShort HOST_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
  private static final ValueLayout.OfShort NET_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt NET_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private Sockaddr() {}

  static void write(MemorySegment s, long off, int address, int port) {
    s.set(HOST_SHORT, off, (short) SocketCalls.AF_INET);
    s.set(NET_SHORT, off + 2, (short) port);
    s.set(NET_INT, off + 4, address);
    s.set(ValueLayout.JAVA_LONG_UNALIGNED, off + 8, 0L);
  }

  static int address(MemorySegment s, long off) {
    return s.get(NET_INT, off + 4);
  }

  static int port(MemorySegment s, long off) {
    return Short.toUnsignedInt(s.get(NET_SHORT, off + 2));
  }

  /** An int in network order read at {@code off} (IPv4 header addresses, in_pktinfo). */
  static int netInt(MemorySegment s, long off) {
    return s.get(NET_INT, off);
  }
}
