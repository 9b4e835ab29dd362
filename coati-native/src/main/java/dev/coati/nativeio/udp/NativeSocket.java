package dev.coati.nativeio.udp;

import dev.coati.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.LongAdder;

/**
 * The FFM socket on Linux: a non-blocking AF_INET socket, UDP (SOCK_DGRAM) or raw ESP (SOCK_RAW,
 * protocol 50, raw(7): received packets start with the IPv4 header, sent ones get theirs from the
 * kernel). Receive is one recvmmsg(2) into a native {@link MmsgVector} and a copy into the caller's
 * heap buffers; a single send is a critical sendto(2) straight from the heap array; a batch send is
 * sendmmsg(2). Native memory belongs to an automatic arena, so a send racing {@link #close()} fails
 * with EBADF (counted) rather than touching freed memory.
 */
final class NativeSocket implements UdpBind {
  private final int fd;
  private final int localAddress;
  private final int localPort;
  private final boolean raw;
  private final boolean pktinfo;
  private final int maxDatagram;
  private final Arena arena = Arena.ofAuto();
  private final MmsgVector rx;
  private final ThreadLocal<MemorySegment> state;
  private final ThreadLocal<MemorySegment> sockaddr;
  private final ThreadLocal<MmsgVector> tx;
  private final LongAdder sendDrops = new LongAdder();
  private final LongAdder receiveDrops = new LongAdder();
  private volatile boolean closed;

  private NativeSocket(int fd, int address, int port, boolean raw, UdpOptions o) {
    this.fd = fd;
    this.localAddress = address;
    this.localPort = port;
    this.raw = raw;
    this.pktinfo = !raw && address == 0;
    this.maxDatagram = o.maxDatagram();
    // a raw socket's datagrams carry the IPv4 header (at most 60 bytes) in front
    this.rx = new MmsgVector(arena, o.batch(), raw ? o.maxDatagram() + 60 : o.maxDatagram());
    this.state = ThreadLocal.withInitial(() -> SocketCalls.state(arena));
    this.sockaddr = ThreadLocal.withInitial(() -> arena.allocate(SocketCalls.SOCKADDR_IN, 8));
    this.tx = ThreadLocal.withInitial(() -> new MmsgVector(arena, o.batch(), o.maxDatagram()));
  }

  /** socket + SO_REUSEADDR + SO_RCVBUF/SO_SNDBUF (+ IP_PKTINFO on the wildcard) + bind. */
  static NativeSocket udp(int address, int port, UdpOptions o) throws IOException {
    MemorySegment st = SocketCalls.state(Arena.ofAuto());
    int fd = SocketCalls.socket(st, SocketCalls.SOCK_DGRAM, 0);
    try {
      SocketCalls.setInt(st, fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_REUSEADDR, 1, "REUSEADDR");
      buffers(st, fd, o);
      if (address == 0) {
        SocketCalls.setInt(st, fd, SocketCalls.IPPROTO_IP, SocketCalls.IP_PKTINFO, 1, "IP_PKTINFO");
      }
      int bound = SocketCalls.bind(st, fd, address, port);
      return new NativeSocket(fd, address, bound, false, o);
    } catch (IOException | RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** socket(AF_INET, SOCK_RAW, IPPROTO_ESP) bound to {@code address}. */
  static NativeSocket rawEsp(int address, UdpOptions o) throws IOException {
    MemorySegment st = SocketCalls.state(Arena.ofAuto());
    int fd = SocketCalls.socket(st, SocketCalls.SOCK_RAW, SocketCalls.IPPROTO_ESP);
    try {
      buffers(st, fd, o);
      SocketCalls.bind(st, fd, address, 0);
      return new NativeSocket(fd, address, 0, true, o);
    } catch (IOException | RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  private static void buffers(MemorySegment st, int fd, UdpOptions o) throws IOException {
    if (o.receiveBuffer() > 0) {
      SocketCalls.setInt(
          st, fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_RCVBUF, o.receiveBuffer(), "RCVBUF");
    }
    if (o.sendBuffer() > 0) {
      SocketCalls.setInt(
          st, fd, SocketCalls.SOL_SOCKET, SocketCalls.SO_SNDBUF, o.sendBuffer(), "SNDBUF");
    }
  }

  int fd() {
    return fd;
  }

  @Override
  public int localAddress() {
    return localAddress;
  }

  @Override
  public int localPort() {
    return localPort;
  }

  @Override
  public boolean isNative() {
    return true;
  }

  @Override
  public int receive(Datagrams into) throws IOException {
    int want = Math.min(into.capacity(), rx.capacity);
    rx.prepareReceive(want);
    int n = SocketCalls.recvmmsg(state.get(), fd, rx.vec, want);
    if (n < 0) {
      throw new Libc.ErrnoException("recvmmsg on " + this, -n);
    }
    int out = 0;
    for (int i = 0; i < n; i++) {
      if (take(i, into, out)) {
        out++;
      } else {
        receiveDrops.increment();
      }
    }
    return out;
  }

  /** Copies received entry i into slot {@code slot}; false if it must be dropped. */
  private boolean take(int i, Datagrams into, int slot) {
    int len = rx.length(i);
    MemorySegment b = rx.buffer(i);
    int off = 0;
    int local = localAddress;
    if (raw) {
      int vihl = len >= 20 ? b.get(ValueLayout.JAVA_BYTE, 0) : 0;
      int ihl = (vihl & 0x0f) * 4;
      if ((vihl & 0xf0) != 0x40 || ihl < 20 || ihl > len) {
        return false;
      }
      local = Sockaddr.netInt(b, 16);
      off = ihl;
      len -= ihl;
    } else if (pktinfo) {
      local = rx.pktinfoDestination(i, localAddress);
    }
    if (rx.truncated(i) || len > into.data[slot].length || len > maxDatagram) {
      return false;
    }
    MemorySegment.copy(b, ValueLayout.JAVA_BYTE, off, into.data[slot], 0, len);
    into.length[slot] = len;
    into.peerAddress[slot] = rx.sourceAddress(i);
    into.peerPort[slot] = raw ? 0 : rx.sourcePort(i);
    into.localAddress[slot] = local;
    return true;
  }

  @Override
  public boolean send(byte[] buf, int off, int len, int address, int port) {
    MemorySegment sa = sockaddr.get();
    Sockaddr.write(sa, 0, address, raw ? 0 : port);
    long rc = SocketCalls.sendto(state.get(), fd, MemorySegment.ofArray(buf).asSlice(off, len), sa);
    if (rc != len) {
      sendDrops.increment();
      return false;
    }
    return true;
  }

  @Override
  public int send(Datagrams from, int count) {
    MmsgVector v = tx.get();
    MemorySegment st = state.get();
    int sent = 0;
    int i = 0;
    while (i < count) {
      int k = 0;
      for (; i < count && k < v.capacity; i++) {
        int len = from.length[i];
        if (len < 0 || len > v.bufferSize || len > from.data[i].length) {
          sendDrops.increment();
          continue;
        }
        v.prepareSend(k++, from.data[i], len, from.peerAddress[i], raw ? 0 : from.peerPort[i]);
      }
      int done = 0;
      while (done < k) {
        int rc = SocketCalls.sendmmsg(st, fd, v.vec.asSlice(MmsgVector.MMSGHDR * done), k - done);
        if (rc == -SocketCalls.EAGAIN) {
          sendDrops.add(k - done); // socket buffer full: the rest of this batch would fail too
          break;
        }
        if (rc <= 0) {
          sendDrops.increment(); // the first remaining entry failed (e.g. no route): skip it
          done++;
        } else {
          done += rc;
          sent += rc;
        }
      }
    }
    return sent;
  }

  @Override
  public long sendDrops() {
    return sendDrops.sum();
  }

  @Override
  public long receiveDrops() {
    return receiveDrops.sum();
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }

  @Override
  public String toString() {
    return (raw ? "raw ESP " : "UDP ") + Datagrams.text(localAddress) + ":" + localPort;
  }
}
