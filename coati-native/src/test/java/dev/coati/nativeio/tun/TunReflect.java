package dev.coati.nativeio.tun;

import dev.coati.ip.InternetChecksum;
import dev.coati.ip.TcpSegmenter;
import dev.coati.ip.VirtioNetHdr;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Test and measuring program, run inside a network namespace the caller made: a TCP transfer from a
 * client to a server in this process that crosses the TUN device twice. The client (10.97.0.1)
 * connects to B = 10.97.0.2, which is routed into the TUN; the reflector here reads each packet,
 * and writes it back translated: A→B becomes C→A (C = 10.97.0.3), A→C becomes B→A. With offload on,
 * reads are virtio_net_hdr + super-packets that {@link TcpSegmenter} cuts into segments, each
 * written back with a zero header, so the kernel's TCP receive path verifies every checksum we made
 * (mode gro instead writes the super-packets back whole, to show what a write side with GRO would
 * gain). Usage: {@code TunReflect NAME on|off|gro MEGABYTES SECONDS [PCAP]}; prints one result
 * line, and with PCAP writes the first segments cut from super-packets there (LINKTYPE_RAW) for
 * tshark.
 */
public final class TunReflect {
  static final byte[] A = {10, 97, 0, 1};
  static final byte[] B = {10, 97, 0, 2};
  static final byte[] C = {10, 97, 0, 3};
  static final int PORT = 5201;
  static final int MTU = 1400;

  private final TunDevice tun;
  private final TcpSegmenter segmenter = new TcpSegmenter();
  private final byte[] in = new byte[LinuxTun.MAX_READ];
  private final byte[] out = new byte[LinuxTun.MAX_READ];
  final AtomicLong reads = new AtomicLong();
  final AtomicLong readBytes = new AtomicLong();
  final AtomicLong superPackets = new AtomicLong();
  final AtomicLong segments = new AtomicLong();
  final AtomicLong badChecksums = new AtomicLong();
  final AtomicLong oversized = new AtomicLong();
  final AtomicLong drops = new AtomicLong();
  final AtomicLong foreign = new AtomicLong();
  volatile int maxGso;
  volatile int maxRead;
  final java.util.List<byte[]> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final int CAPTURE = 200;

  /** Mode "gro": write super-packets back whole (GSO header kept), as a GRO write side would. */
  private final boolean writeSuperPackets;

  final AtomicLong gsoWrites = new AtomicLong();

  TunReflect(TunDevice tun, boolean writeSuperPackets) {
    this.tun = tun;
    this.writeSuperPackets = writeSuperPackets;
  }

  public static void main(String[] args) throws Exception {
    boolean offload = !args[1].equals("off");
    long bytes = Long.parseLong(args[2]) << 20;
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    TunOffload mode = offload ? TunOffload.ON : TunOffload.OFF;
    try (LinuxTun tun = LinuxTun.open(args[0], A, 24, MTU, mode)) {
      TunReflect r = new TunReflect(tun, args[1].equals("gro"));
      Thread t = new Thread(r::run, "reflector");
      t.setDaemon(true);
      t.start();
      var mx = java.lang.management.ManagementFactory.getThreadMXBean();
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long proc0 = os.getProcessCpuTime();
      long[] result = transfer(bytes, deadline);
      long tunCpu = mx.getThreadCpuTime(t.threadId());
      long procCpu = os.getProcessCpuTime() - proc0;
      double secs = result[1] / 1e9;
      System.out.printf(
          "mode=%s vnet=%d bytes=%d seconds=%.3f MBps=%.1f crcOk=%b reads=%d readBytes=%d"
              + " superPackets=%d segments=%d maxGso=%d maxRead=%d badChecksums=%d oversized=%d"
              + " drops=%d foreign=%d tunThreadCpuMs=%d processCpuMs=%d gsoWrites=%d%n",
          args[1],
          tun.vnetHeaderLength(),
          result[0],
          secs,
          result[0] / secs / 1e6,
          result[2] == 1,
          r.reads.get(),
          r.readBytes.get(),
          r.superPackets.get(),
          r.segments.get(),
          r.maxGso,
          r.maxRead,
          r.badChecksums.get(),
          r.oversized.get(),
          r.drops.get(),
          r.foreign.get(),
          tunCpu / 1_000_000,
          procCpu / 1_000_000,
          r.gsoWrites.get());
      System.out.flush();
      if (args.length > 4 && !args[4].isEmpty()) {
        writePcap(java.nio.file.Path.of(args[4]), r.captured);
      }
    }
    System.exit(0); // the reflector may still sit in read(2)
  }

  /** Sends {@code bytes} from a client to a server across the TUN; {received, nanos, crc ok}. */
  static long[] transfer(long bytes, long deadline) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(java.net.InetAddress.getByAddress(A), PORT));
      CRC32 sent = new CRC32();
      Thread client =
          new Thread(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(
                      new InetSocketAddress(java.net.InetAddress.getByAddress(B), PORT), 5000);
                  OutputStream o = s.getOutputStream();
                  byte[] chunk = new byte[65536];
                  for (long done = 0; done < bytes && System.nanoTime() < deadline; ) {
                    int n = (int) Math.min(chunk.length, bytes - done);
                    for (int i = 0; i < n; i++) {
                      chunk[i] = (byte) ((done + i) * 31 >>> 3);
                    }
                    o.write(chunk, 0, n);
                    sent.update(chunk, 0, n);
                    done += n;
                  }
                } catch (Exception e) {
                  System.out.println("client: " + e);
                }
              },
              "client");
      server.setSoTimeout(10_000);
      client.start();
      long start = System.nanoTime();
      long received = 0;
      CRC32 got = new CRC32();
      try (Socket s = server.accept()) {
        s.setSoTimeout(10_000);
        InputStream i = s.getInputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = i.read(buf)) > 0; ) {
          got.update(buf, 0, n);
          received += n;
        }
      }
      long nanos = System.nanoTime() - start;
      client.join(10_000);
      return new long[] {received, nanos, got.getValue() == sent.getValue() ? 1 : 0};
    }
  }

  /** Reads, segments, translates and writes back until the device closes. */
  void run() {
    int h = tun.vnetHeaderLength();
    while (true) {
      int n;
      try {
        n = tun.read(in, 0, in.length);
      } catch (Exception e) {
        return;
      }
      reads.incrementAndGet();
      readBytes.addAndGet(n - h);
      maxRead = Math.max(maxRead, n - h);
      if (h == 0) {
        reflect(in, 0, n);
        continue;
      }
      int segs = segmenter.load(in, 0, n);
      if (segs < 0) {
        drops.incrementAndGet();
        continue;
      }
      if (segmenter.gso()) {
        superPackets.incrementAndGet();
        maxGso = Math.max(maxGso, segmenter.gsoSize());
        if (writeSuperPackets) {
          reflectWhole(segmenter.headerLength(), n);
          continue;
        }
      }
      for (int i = 0; i < segs; i++) {
        int len = segmenter.segment(i, out, h);
        if (segmenter.gso() && captured.size() < CAPTURE) {
          captured.add(java.util.Arrays.copyOfRange(out, h, h + len));
        }
        VirtioNetHdr.writePlain(out, 0);
        reflect(out, h, len);
      }
    }
  }

  /**
   * Translates a GSO super-packet in {@code in} and writes it back with its virtio_net_hdr
   * (GSO_TCPV4, NEEDS_CSUM): the TCP checksum field gets the new pseudo-header sum, as the kernel's
   * {@code __tcp_v4_send_check} leaves it for CHECKSUM_PARTIAL.
   */
  private void reflectWhole(int headers, int n) {
    int ip = VirtioNetHdr.LENGTH;
    int ihl = (in[ip] & 0x0f) * 4;
    byte[] src = same(in, ip + 16, B) ? C : same(in, ip + 16, C) ? B : null;
    if (src == null) {
      foreign.incrementAndGet();
      return;
    }
    System.arraycopy(src, 0, in, ip + 12, 4);
    System.arraycopy(A, 0, in, ip + 16, 4);
    InternetChecksum.ipv4Header(in, ip, ihl);
    int tcpLen = n - ip - ihl;
    int c = InternetChecksum.fold(InternetChecksum.pseudoHeader(in, ip, 6, tcpLen));
    in[ip + ihl + 16] = (byte) (c >>> 8);
    in[ip + ihl + 17] = (byte) c;
    VirtioNetHdr.write(
        in,
        0,
        VirtioNetHdr.F_NEEDS_CSUM,
        VirtioNetHdr.GSO_TCPV4,
        headers,
        segmenter.gsoSize(),
        ihl,
        16);
    try {
      tun.write(in, 0, n);
      gsoWrites.incrementAndGet();
    } catch (Exception e) {
      drops.incrementAndGet();
    }
  }

  /** Checks one complete packet at {@code p[off]}, translates its addresses, writes it back. */
  private void reflect(byte[] p, int off, int len) {
    segments.incrementAndGet();
    if (len < 20 || (p[off] & 0xf0) != 0x40) {
      foreign.incrementAndGet(); // IPv6 router solicitations and the like
      return;
    }
    if (len > MTU) {
      oversized.incrementAndGet();
    }
    int ihl = (p[off] & 0x0f) * 4;
    boolean tcp = p[off + 9] == 6;
    if (tcp && !verifies(p, off, ihl, len)) {
      badChecksums.incrementAndGet();
    }
    byte[] src;
    if (same(p, off + 16, B)) {
      src = C;
    } else if (same(p, off + 16, C)) {
      src = B;
    } else {
      foreign.incrementAndGet();
      return;
    }
    System.arraycopy(src, 0, p, off + 12, 4);
    System.arraycopy(A, 0, p, off + 16, 4);
    InternetChecksum.ipv4Header(p, off, ihl);
    if (tcp) {
      p[off + ihl + 16] = 0;
      p[off + ihl + 17] = 0;
      long sum = InternetChecksum.pseudoHeader(p, off, 6, len - ihl);
      int c = InternetChecksum.finish(InternetChecksum.add(p, off + ihl, len - ihl, sum));
      p[off + ihl + 16] = (byte) (c >>> 8);
      p[off + ihl + 17] = (byte) c;
    }
    int h = tun.vnetHeaderLength();
    try {
      tun.write(p, off - h, len + h);
    } catch (Exception e) {
      drops.incrementAndGet();
    }
  }

  /** A classic pcap file, LINKTYPE_RAW (101): each record one IPv4 packet. */
  static void writePcap(java.nio.file.Path file, java.util.List<byte[]> packets)
      throws java.io.IOException {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    java.nio.ByteBuffer g =
        java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    g.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0);
    g.putInt(65535).putInt(101);
    o.write(g.array());
    int t = 1;
    for (byte[] p : packets) {
      java.nio.ByteBuffer r =
          java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
      r.putInt(t++).putInt(0).putInt(p.length).putInt(p.length);
      o.write(r.array());
      o.write(p);
    }
    java.nio.file.Files.write(file, o.toByteArray());
  }

  static boolean verifies(byte[] p, int off, int ihl, int len) {
    boolean ip = InternetChecksum.fold(InternetChecksum.add(p, off, ihl, 0)) == 0xffff;
    long sum = InternetChecksum.pseudoHeader(p, off, 6, len - ihl);
    return ip
        && InternetChecksum.fold(InternetChecksum.add(p, off + ihl, len - ihl, sum)) == 0xffff;
  }

  private static boolean same(byte[] p, int at, byte[] addr) {
    return p[at] == addr[0] && p[at + 1] == addr[1] && p[at + 2] == addr[2] && p[at + 3] == addr[3];
  }
}
