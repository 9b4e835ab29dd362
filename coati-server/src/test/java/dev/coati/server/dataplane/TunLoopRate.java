package dev.coati.server.dataplane;

import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ike.ChildSa;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ip.InternetChecksum;
import dev.coati.nativeio.tun.LinuxTun;
import dev.coati.nativeio.tun.TunDevice;
import dev.coati.nativeio.tun.TunOffload;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.zip.CRC32;

/**
 * A throughput check of the whole data plane without UDP sockets (run by hand, not a test): one TCP
 * stream inside the namespace the caller made leaves through the TUN (offload on or off), {@link
 * DataPlane#runOutbound} segments, routes and encrypts it (AES-128-GCM), a stand-in peer in the
 * {@code EspSender} decrypts it, swaps the addresses (A→B becomes C→A, A→C becomes B→A, so the
 * stream comes back to this host) and encrypts it again, and {@link DataPlane#inbound} decrypts it
 * and writes it to the TUN. Usage: {@code TunLoopRate NAME on|off MEGABYTES SECONDS}.
 */
public final class TunLoopRate {
  static final byte[] A = {10, 97, 0, 1};
  static final byte[] B = {10, 97, 0, 2};
  static final byte[] C = {10, 97, 0, 3};

  private TunLoopRate() {}

  /** Counts reads and the largest one (a super-packet is larger than the MTU). */
  static final class CountingTun implements TunDevice {
    final TunDevice tun;
    long reads;
    long readBytes;
    int maxRead;

    CountingTun(TunDevice tun) {
      this.tun = tun;
    }

    public String name() {
      return tun.name();
    }

    public int mtu() {
      return tun.mtu();
    }

    public int vnetHeaderLength() {
      return tun.vnetHeaderLength();
    }

    public int read(byte[] b, int off, int len) throws IOException {
      int n = tun.read(b, off, len);
      reads++;
      readBytes += n;
      maxRead = Math.max(maxRead, n - tun.vnetHeaderLength());
      return n;
    }

    public void write(byte[] b, int off, int len) throws IOException {
      tun.write(b, off, len);
    }

    public void close() {
      tun.close();
    }
  }

  public static void main(String[] args) throws Exception {
    TunOffload mode = args[1].equals("on") ? TunOffload.ON : TunOffload.OFF;
    long bytes = Long.parseLong(args[2]) << 20;
    long deadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    try (LinuxTun raw = LinuxTun.open(args[0], A, 24, 1400, mode)) {
      CountingTun tun = new CountingTun(raw);
      DataPlane dp = loopedDataPlane(tun);
      Thread reader = new Thread(dp::runOutbound, "coati-tun");
      reader.setDaemon(true);
      reader.start();
      var mx = java.lang.management.ManagementFactory.getThreadMXBean();
      var os =
          (com.sun.management.OperatingSystemMXBean)
              java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long proc0 = os.getProcessCpuTime();
      long[] r = transfer(bytes, deadline);
      long tunCpu = mx.getThreadCpuTime(reader.threadId());
      long procCpu = os.getProcessCpuTime() - proc0;
      System.out.printf(
          "loop mode=%s vnet=%d bytes=%d seconds=%.3f MBps=%.1f crcOk=%b reads=%d readBytes=%d"
              + " maxRead=%d espOut=%d espIn=%d tunThreadCpuMs=%d processCpuMs=%d drops: %s%n",
          args[1],
          raw.vnetHeaderLength(),
          r[0],
          r[1] / 1e9,
          r[0] / (r[1] / 1e9) / 1e6,
          r[2] == 1,
          tun.reads,
          tun.readBytes,
          tun.maxRead,
          dp.outPackets.sum(),
          dp.inPackets.sum(),
          tunCpu / 1_000_000,
          procCpu / 1_000_000,
          dp.drops);
      System.out.flush();
    }
    System.exit(0); // the TUN thread may still sit in read(2)
  }

  /**
   * A data plane with one AES-128-GCM child SA for 10.97.0.0/24 whose sender is the stand-in peer:
   * decrypt, {@link #translate}, encrypt, {@link DataPlane#inbound} (all on the TUN thread).
   */
  static DataPlane loopedDataPlane(TunDevice tun) {
    byte[] kOut = RandomSource.deterministic(1).bytes(20);
    byte[] kIn = RandomSource.deterministic(2).bytes(20);
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(3));
    EspCipher gcm = EspCipher.ESP_AES_GCM_16;
    EspSa peerIn = new EspSa(0x2002, true, gcm, null, Secret.copyOf(kOut), 0, 0, 0);
    EspSa peerOut = new EspSa(0x1001, false, gcm, null, Secret.copyOf(kIn), 0, 0, 0);
    byte[] inner = new byte[70000];
    byte[] esp = new byte[70000];
    byte[] scratch = new byte[65536 + 256];
    int[] nh = new int[1];
    RandomSource peerRandom = RandomSource.deterministic(4);
    dp.sender(
        (from, to, pkt, len, udp) -> {
          int n = EspCodec.decapsulate(peerIn, pkt, 0, len, inner, 0, nh);
          if (n > 0 && translate(inner, n)) {
            int m = EspCodec.encapsulate(peerOut, peerRandom, inner, 0, n, 4, esp, 0);
            dp.inbound(esp, 0, m, scratch);
          }
        });
    Phase2Transform t = new Phase2Transform(gcm, 128, null, null, IpsecAttr.UDP_TUNNEL, 0, 0);
    TrafficSelector net = TrafficSelector.subnet(new byte[] {10, 97, 0, 0}, 24, 0, 0);
    Secret in = Secret.copyOf(kIn);
    Secret out = Secret.copyOf(kOut);
    ChildSa child = new ChildSa(1, t, 0x1001, 0x2002, in, out, net, net, 0, 0, 0, true, null);
    dp.childEstablished(DataPlaneOffloadTest.ike(), child);
    return dp;
  }

  /** The stand-in peer's address swap; false for anything that is not A→B or A→C. */
  static boolean translate(byte[] p, int len) {
    int ihl = (p[0] & 0x0f) * 4;
    byte[] src;
    if (same(p, 16, B)) {
      src = C;
    } else if (same(p, 16, C)) {
      src = B;
    } else {
      return false;
    }
    System.arraycopy(src, 0, p, 12, 4);
    System.arraycopy(A, 0, p, 16, 4);
    InternetChecksum.ipv4Header(p, 0, ihl);
    if (p[9] == 6) {
      p[ihl + 16] = 0;
      p[ihl + 17] = 0;
      long sum = InternetChecksum.pseudoHeader(p, 0, 6, len - ihl);
      int c = InternetChecksum.finish(InternetChecksum.add(p, ihl, len - ihl, sum));
      p[ihl + 16] = (byte) (c >>> 8);
      p[ihl + 17] = (byte) c;
    }
    return true;
  }

  private static boolean same(byte[] p, int at, byte[] a) {
    return p[at] == a[0] && p[at + 1] == a[1] && p[at + 2] == a[2] && p[at + 3] == a[3];
  }

  /** One stream A → B:5201 (which comes back as C → A:5201); {received, nanos, crc ok}. */
  static long[] transfer(long bytes, long deadline) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getByAddress(A), 5201));
      CRC32 sent = new CRC32();
      Thread client =
          new Thread(
              () -> {
                try (Socket s = new Socket()) {
                  s.connect(new InetSocketAddress(InetAddress.getByAddress(B), 5201), 5000);
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
              });
      server.setSoTimeout(10_000);
      client.start();
      long start = System.nanoTime();
      long received = 0;
      CRC32 got = new CRC32();
      try (Socket s = server.accept()) {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        for (int n; (n = in.read(buf)) > 0; ) {
          got.update(buf, 0, n);
          received += n;
        }
      }
      long nanos = System.nanoTime() - start;
      client.join(10_000);
      return new long[] {received, nanos, got.getValue() == sent.getValue() ? 1 : 0};
    }
  }
}
