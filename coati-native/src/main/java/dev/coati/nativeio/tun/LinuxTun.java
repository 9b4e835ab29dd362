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
 *
 * <p>With {@link TunOffload} on, TUNSETIFF adds IFF_VNET_HDR, TUNSETVNETHDRSZ sets the header to
 * the 10-byte {@code struct virtio_net_hdr} and TUNSETOFFLOAD enables TUN_F_CSUM | TUN_F_TSO4
 * (kernel {@code include/uapi/linux/if_tun.h}, {@code drivers/net/tun.c} {@code set_offload}): the
 * kernel then hands over TCP super-packets of up to 64 KB and packets whose checksum is left to us,
 * each behind its virtio_net_hdr ({@link #vnetHeaderLength()}). TUN_F_TSO6 stays off (the data
 * plane is IPv4 only) and so do TUN_F_TSO_ECN and TUN_F_USO4/6: the kernel segments those kinds
 * itself before they reach us.
 */
public final class LinuxTun implements TunDevice {
  static final long TUNSETIFF = 0x400454caL;
  static final long TUNGETFEATURES = 0x800454cfL;
  static final long TUNSETOFFLOAD = 0x400454d0L;
  static final long TUNSETVNETHDRSZ = 0x400454d8L;
  static final long SIOCGIFFLAGS = 0x8913;
  static final long SIOCSIFFLAGS = 0x8914;
  static final long SIOCSIFADDR = 0x8916;
  static final long SIOCSIFNETMASK = 0x891c;
  static final long SIOCSIFMTU = 0x8922;
  static final short IFF_TUN = 0x0001;
  static final short IFF_NO_PI = 0x1000;
  static final short IFF_VNET_HDR = 0x4000;
  static final short IFF_UP = 0x1;
  static final short IFF_RUNNING = 0x40;
  static final int TUN_F_CSUM = 0x01;
  static final int TUN_F_TSO4 = 0x02;
  static final int IFREQ_SIZE = 40;
  static final int IFNAMSIZ = 16;

  /** sizeof(struct virtio_net_hdr) in include/uapi/linux/virtio_net.h. */
  public static final int VNET_HDR_LEN = 10;

  /** The largest read: a 64 KB super-packet behind its virtio_net_hdr. */
  public static final int MAX_READ = 65536 + VNET_HDR_LEN;

  private final String name;
  private final int mtu;
  private final int fd;
  private final int vnetHdr;
  private final Arena arena = Arena.ofShared();
  private final ThreadLocal<MemorySegment> state;
  private final ThreadLocal<MemorySegment> staging;
  private volatile boolean closed;
  private String offloadFallback;

  private LinuxTun(String name, int mtu, int fd, int vnetHdr) {
    this.name = name;
    this.mtu = mtu;
    this.fd = fd;
    this.vnetHdr = vnetHdr;
    this.state = ThreadLocal.withInitial(() -> Libc.callState(arena));
    this.staging = ThreadLocal.withInitial(() -> arena.allocate(MAX_READ));
  }

  /**
   * Creates (or attaches to) {@code name}, gives it {@code address}/{@code prefix}, brings it up.
   */
  public static LinuxTun open(String name, byte[] address, int prefix, int mtu) throws IOException {
    return open(name, address, prefix, mtu, TunOffload.OFF);
  }

  /**
   * As {@link #open(String, byte[], int, int)}, with TSO/checksum offload as {@code offload} asks
   * ({@link TunOffload#AUTO} falls back to a plain device if an offload ioctl fails).
   */
  public static LinuxTun open(String name, byte[] address, int prefix, int mtu, TunOffload offload)
      throws IOException {
    if (name.getBytes(StandardCharsets.US_ASCII).length >= IFNAMSIZ) {
      throw new IOException("interface name too long (max 15): " + name);
    }
    String problem = null;
    if (offload != TunOffload.OFF) {
      try {
        return openDevice(name, address, prefix, mtu, true);
      } catch (IOException e) {
        if (offload == TunOffload.ON) {
          throw new IOException("TUN offload (coati.tun.offload=on): " + e.getMessage(), e);
        }
        problem = e.getMessage();
      }
    }
    LinuxTun plain = openDevice(name, address, prefix, mtu, false);
    plain.offloadFallback = problem;
    return plain;
  }

  private static LinuxTun openDevice(
      String name, byte[] address, int prefix, int mtu, boolean offload) throws IOException {
    if (offload && ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
      throw new IOException("virtio_net_hdr is read little-endian; this host is big-endian");
    }
    int fd = Libc.open("/dev/net/tun", Libc.O_RDWR);
    try (Arena a = Arena.ofConfined()) {
      MemorySegment ifr = ifreq(a, name);
      short flags = (short) (IFF_TUN | IFF_NO_PI | (offload ? IFF_VNET_HDR : 0));
      ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, flags);
      Libc.ioctl(fd, TUNSETIFF, ifr, "TUNSETIFF " + name);
      if (offload) {
        enableOffload(a, fd, name);
      }
      configure(a, name, address, prefix, mtu);
      return new LinuxTun(name, mtu, fd, offload ? VNET_HDR_LEN : 0);
    } catch (IOException | RuntimeException e) {
      Libc.close(fd);
      throw e;
    }
  }

  /** TUNGETFEATURES must list IFF_VNET_HDR; then TUNSETVNETHDRSZ 10 and TUNSETOFFLOAD. */
  private static void enableOffload(Arena a, int fd, String name) throws IOException {
    MemorySegment features = a.allocate(ValueLayout.JAVA_INT);
    Libc.ioctl(fd, TUNGETFEATURES, features, "TUNGETFEATURES " + name);
    if ((features.get(ValueLayout.JAVA_INT, 0) & IFF_VNET_HDR) == 0) {
      throw new IOException("the kernel's TUN driver has no IFF_VNET_HDR");
    }
    MemorySegment size = a.allocate(ValueLayout.JAVA_INT);
    size.set(ValueLayout.JAVA_INT, 0, VNET_HDR_LEN);
    Libc.ioctl(fd, TUNSETVNETHDRSZ, size, "TUNSETVNETHDRSZ " + name);
    Libc.ioctlValue(fd, TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_TSO4, "TUNSETOFFLOAD " + name);
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

  /** Why {@link TunOffload#AUTO} fell back to a plain device, or null. */
  public String offloadFallback() {
    return offloadFallback;
  }

  @Override
  public int vnetHeaderLength() {
    return vnetHdr;
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
