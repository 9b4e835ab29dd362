package dev.coati.nativeio.tun;

import dev.coati.nativeio.Libc;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A Linux TUN device opened and configured through ioctl(2) (no shelling out): TUNSETIFF with
 * IFF_TUN | IFF_NO_PI, then address, netmask, MTU and IFF_UP on an AF_INET socket.
 */
public final class LinuxTun implements TunDevice {
  static final long TUNSETIFF = 0x400454caL;
  static final long SIOCGIFFLAGS = 0x8913;
  static final long SIOCSIFFLAGS = 0x8914;
  static final long SIOCSIFADDR = 0x8916;
  static final long SIOCSIFNETMASK = 0x891c;
  static final long SIOCSIFMTU = 0x8922;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_UP = 0x1;
  static final short IFF_RUNNING = 0x40;
  static final int IFREQ_SIZE = 40;
  static final int IFNAMSIZ = 16;

  private final String name;
  private final int mtu;
  private final int fd;
  private final Arena arena = Arena.ofShared();
  private final ThreadLocal<MemorySegment> state;
  private final ThreadLocal<MemorySegment> staging;
  private volatile boolean closed;

  private LinuxTun(String name, int mtu, int fd) {
    this.name = name;
    this.mtu = mtu;
    this.fd = fd;
    this.state = ThreadLocal.withInitial(() -> Libc.callState(arena));
    this.staging = ThreadLocal.withInitial(() -> arena.allocate(65536));
  }

  /**
   * Creates (or attaches to) {@code name}, gives it {@code address}/{@code prefix}, brings it up.
   */
  public static LinuxTun open(String name, byte[] address, int prefix, int mtu) throws IOException {
    if (name.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
      throw new IOException("interface name too long (max 15): " + name);
    }
    int fd = Libc.open("/dev/net/tun", Libc.O_RDWR);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(a, name);
      ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
      Libc.ioctl(fd, TUNSETIFF, ifr, "TUNSETIFF " + name);
      configure(a, name, address, prefix, mtu);
      return new LinuxTun(name, mtu, fd);
    } catch (IOException | RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  private static MemorySegment ifreq(Arena a, String name) {
    MemorySegment ifr = a.allocate(IFREQ_SIZE);
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
    return ifr;
  }

  private static void sockaddr(MemorySegment ifr, byte[] addr) {
    ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) Libc.AF_INET);
    MemorySegment.copy(addr, 0, ifr, ValueLayout.JAVA_BYTE, IFNAMSIZ + 4, 4);
  }

  private static void configure(Arena a, String name, byte[] address, int prefix, int mtu)
      throws IOException {
    int s = Libc.socket(Libc.AF_INET, Libc.SOCK_DGRAM, 0);
    try {
      MemorySegment ifr = ifreq(a, name);
      sockaddr(ifr, address);
      Libc.ioctl(s, SIOCSIFADDR, ifr, "SIOCSIFADDR " + name);
      int m = prefix == 0 ? 0 : -1 << (32 - prefix);
      ifr = ifreq(a, name);
      sockaddr(ifr, new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m});
      Libc.ioctl(s, SIOCSIFNETMASK, ifr, "SIOCSIFNETMASK " + name);
      ifr = ifreq(a, name);
      ifr.set(ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder()), IFNAMSIZ, mtu);
      Libc.ioctl(s, SIOCSIFMTU, ifr, "SIOCSIFMTU " + name);
      ifr = ifreq(a, name);
      Libc.ioctl(s, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS " + name);
      short flags = ifr.get(ValueLayout.JAVA_SHORT, IFNAMSIZ);
      ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (flags | IFF_UP | IFF_RUNNING));
      Libc.ioctl(s, SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS " + name);
    } finally {
      Libc.close(s);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int mtu() {
    return mtu;
  }

  @Override
  public int read(byte[] buf, int off, int len) throws IOException {
    while (true) {
      try {
        return Libc.read(fd, buf, off, len, state.get(), staging.get());
      } catch (Libc.ErrnoException e) {
        if (e.errno() != Libc.EINTR || closed) {
          throw e;
        }
      }
    }
  }

  @Override
  public void write(byte[] buf, int off, int len) throws IOException {
    Libc.write(fd, buf, off, len, state.get());
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.close(fd);
    }
  }
}
