package dev.coati.nativeio.udp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A native array of {@code struct mmsghdr} for recvmmsg(2)/sendmmsg(2) (Linux LP64 layout), each
 * entry with one iovec over its own native buffer, a sockaddr_in and a control buffer for the
 * IP_PKTINFO cmsg (struct in_pktinfo, ip(7)). Allocated once per socket; nothing per datagram.
 */
final class MmsgVector {
  static final long MMSGHDR = 64;
  static final long IOVEC = 16;
  static final long CONTROL = 64;
  // struct msghdr offsets, then mmsghdr.msg_len
  private static final long NAME = 0;
  private static final long NAMELEN = 8;
  private static final long IOV = 16;
  private static final long IOVLEN = 24;
  private static final long CONTROL_PTR = 32;
  private static final long CONTROLLEN = 40;
  private static final long FLAGS = 48;
  private static final long MSG_LEN = 56;

  final int capacity;
  final int bufferSize;
  final MemorySegment vec;
  private final MemorySegment iov;
  private final MemorySegment names;
  private final MemorySegment control;
  private final MemorySegment buffers;
  private final MemorySegment[] slices; // buffer(i) without an allocation per datagram

  MmsgVector(Arena arena, int capacity, int bufferSize) {
    this.capacity = capacity;
    this.bufferSize = bufferSize;
    vec = arena.allocate(MMSGHDR * capacity, 8);
    iov = arena.allocate(IOVEC * capacity, 8);
    names = arena.allocate(SocketCalls.SOCKADDR_IN * capacity, 8);
    control = arena.allocate(CONTROL * capacity, 8);
    buffers = arena.allocate((long) bufferSize * capacity, 8);
    slices = new MemorySegment[capacity];
    for (int i = 0; i < capacity; i++) {
      slices[i] = buffers.asSlice((long) bufferSize * i, bufferSize);
    }
    for (int i = 0; i < capacity; i++) {
      long m = MMSGHDR * i;
      iov.set(ValueLayout.ADDRESS, IOVEC * i, buffer(i));
      iov.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, bufferSize);
      vec.set(ValueLayout.ADDRESS, m + NAME, names.asSlice(SocketCalls.SOCKADDR_IN * i));
      vec.set(ValueLayout.ADDRESS, m + IOV, iov.asSlice(IOVEC * i));
      vec.set(ValueLayout.JAVA_LONG, m + IOVLEN, 1L);
      vec.set(ValueLayout.ADDRESS, m + CONTROL_PTR, control.asSlice(CONTROL * i));
    }
  }

  MemorySegment buffer(int i) {
    return slices[i];
  }

  /** Before recvmmsg: every entry may take a full buffer, a sockaddr_in and a cmsg. */
  void prepareReceive(int count) {
    for (int i = 0; i < count; i++) {
      long m = MMSGHDR * i;
      vec.set(ValueLayout.JAVA_INT, m + NAMELEN, SocketCalls.SOCKADDR_IN);
      vec.set(ValueLayout.JAVA_LONG, m + CONTROLLEN, CONTROL);
      vec.set(ValueLayout.JAVA_INT, m + FLAGS, 0);
      iov.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, bufferSize);
    }
  }

  /** Before sendmmsg: entry i carries {@code len} bytes of {@code data} to address:port. */
  void prepareSend(int i, byte[] data, int len, int address, int port) {
    long m = MMSGHDR * i;
    MemorySegment.copy(data, 0, buffers, ValueLayout.JAVA_BYTE, (long) bufferSize * i, len);
    iov.set(ValueLayout.JAVA_LONG, IOVEC * i + 8, len);
    Sockaddr.write(names, SocketCalls.SOCKADDR_IN * i, address, port);
    vec.set(ValueLayout.JAVA_INT, m + NAMELEN, SocketCalls.SOCKADDR_IN);
    vec.set(ValueLayout.JAVA_LONG, m + CONTROLLEN, 0L);
    vec.set(ValueLayout.JAVA_INT, m + FLAGS, 0);
  }

  int length(int i) {
    return vec.get(ValueLayout.JAVA_INT, MMSGHDR * i + MSG_LEN);
  }

  boolean truncated(int i) {
    return (vec.get(ValueLayout.JAVA_INT, MMSGHDR * i + FLAGS) & SocketCalls.MSG_TRUNC) != 0;
  }

  int sourceAddress(int i) {
    return Sockaddr.address(names, SocketCalls.SOCKADDR_IN * i);
  }

  int sourcePort(int i) {
    return Sockaddr.port(names, SocketCalls.SOCKADDR_IN * i);
  }

  /**
   * The header destination address (in_pktinfo.ipi_addr) of entry i's IP_PKTINFO cmsg, or {@code
   * fallback} if it carries none. struct cmsghdr is {size_t len; int level; int type} (16 bytes),
   * in_pktinfo is {int ifindex; in_addr spec_dst; in_addr addr}.
   */
  int pktinfoDestination(int i, int fallback) {
    long base = CONTROL * i;
    long used = Math.min(CONTROL, vec.get(ValueLayout.JAVA_LONG, MMSGHDR * i + CONTROLLEN));
    long off = 0;
    while (off + 28 <= used) {
      long len = control.get(ValueLayout.JAVA_LONG, base + off);
      int level = control.get(ValueLayout.JAVA_INT, base + off + 8);
      int type = control.get(ValueLayout.JAVA_INT, base + off + 12);
      if (level == SocketCalls.IPPROTO_IP && type == SocketCalls.IP_PKTINFO && len >= 28) {
        return Sockaddr.netInt(control, base + off + 24);
      }
      if (len < 16) {
        break;
      }
      off += (len + 7) & ~7L;
    }
    return fallback;
  }
}
