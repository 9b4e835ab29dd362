package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.PeerFeature;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ip.InternetChecksum;
import dev.coati.ip.VirtioNetHdr;
import dev.coati.nativeio.tun.TunDevice;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The data plane on a TUN with offloads: super-packets read from the device leave as one ESP packet
 * per segment (each a valid TCP segment once decrypted), plain packets with a partial checksum get
 * it completed and are MSS-clamped, refused virtio headers are counted, and inbound packets reach
 * the device behind a zero virtio_net_hdr.
 */
class DataPlaneOffloadTest {
  static final byte[] LOCAL = {10, 0, 0, 1};
  static final byte[] REMOTE = {10, 9, 0, 5};
  static final int MTU = 1400;

  /** A TUN that returns queued reads, then fails (which ends runOutbound), and records writes. */
  static final class FakeTun implements TunDevice {
    final ArrayDeque<byte[]> reads = new ArrayDeque<>();
    final List<byte[]> writes = new ArrayList<>();

    @Override
    public String name() {
      return "fake0";
    }

    @Override
    public int mtu() {
      return MTU;
    }

    @Override
    public int vnetHeaderLength() {
      return VirtioNetHdr.LENGTH;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      byte[] next = reads.poll();
      if (next == null) {
        throw new IOException("closed");
      }
      System.arraycopy(next, 0, buf, off, next.length);
      return next.length;
    }

    @Override
    public void write(byte[] buf, int off, int len) {
      writes.add(Arrays.copyOfRange(buf, off, off + len));
    }

    @Override
    public void close() {}
  }

  static final byte[] KEY_OUT = RandomSource.deterministic(1).bytes(20);
  static final byte[] KEY_IN = RandomSource.deterministic(2).bytes(20);

  static ChildSa child() {
    Phase2Transform t =
        new Phase2Transform(
            EspCipher.ESP_AES_GCM_16, 128, null, null, IpsecAttr.UDP_TUNNEL, 3600, 0);
    return new ChildSa(
        1,
        t,
        0x1001,
        0x2002,
        Secret.copyOf(KEY_IN),
        Secret.copyOf(KEY_OUT),
        TrafficSelector.subnet(LOCAL, 24, 0, 0),
        TrafficSelector.subnet(REMOTE, 16, 0, 0),
        3600,
        0,
        0,
        true,
        null);
  }

  static IkeSaView ike() {
    PeerAddress local = new PeerAddress(new byte[] {(byte) 192, 0, 2, 1}, 4500);
    PeerAddress peer = new PeerAddress(new byte[] {(byte) 198, 51, 100, 7}, 4500);
    return new IkeSaView() {
      public String name() {
        return "test";
      }

      public PeerAddress peer() {
        return peer;
      }

      public PeerAddress local() {
        return local;
      }

      public boolean isInitiator() {
        return true;
      }

      public Optional<IdPayload> peerId() {
        return Optional.empty();
      }

      public Set<PeerFeature> peerFeatures() {
        return Set.of();
      }

      public int microsoftVersion() {
        return -1;
      }

      public IkeSa.State state() {
        return null;
      }
    };
  }

  /** virtio_net_hdr + IPv4/TCP LOCAL:40000 -> REMOTE:443, TCP checksum left partial. */
  static byte[] tcp(int flags, int payload, int gsoType, int gsoSize, byte[] options) {
    int tcpLen = 20 + options.length + payload;
    byte[] b = new byte[10 + 20 + tcpLen];
    int ip = 10;
    b[ip] = 0x45;
    put16(b, ip + 2, 20 + tcpLen);
    put16(b, ip + 4, 100);
    b[ip + 8] = 64;
    b[ip + 9] = 6;
    System.arraycopy(LOCAL, 0, b, ip + 12, 4);
    System.arraycopy(REMOTE, 0, b, ip + 16, 4);
    InternetChecksum.ipv4Header(b, ip, 20);
    int t = ip + 20;
    put16(b, t, 40000);
    put16(b, t + 2, 443);
    put16(b, t + 6, 0x7000); // sequence number 0x7000
    b[t + 12] = (byte) (((20 + options.length) / 4) << 4);
    b[t + 13] = (byte) flags;
    put16(b, t + 14, 65535);
    System.arraycopy(options, 0, b, t + 20, options.length);
    for (int i = 0; i < payload; i++) {
      b[t + 20 + options.length + i] = (byte) i;
    }
    put16(b, t + 16, InternetChecksum.fold(InternetChecksum.pseudoHeader(b, ip, 6, tcpLen)));
    VirtioNetHdr.write(b, 0, VirtioNetHdr.F_NEEDS_CSUM, gsoType, 0, gsoSize, 20, 16);
    return b;
  }

  static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static int get16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  static boolean tcpVerifies(byte[] p, int len) {
    long sum = InternetChecksum.pseudoHeader(p, 0, 6, len - 20);
    return InternetChecksum.fold(InternetChecksum.add(p, 0, 20, 0)) == 0xffff
        && InternetChecksum.fold(InternetChecksum.add(p, 20, len - 20, sum)) == 0xffff;
  }

  /**
   * A data plane on {@code tun} with {@link #child()} installed; ESP it sends goes to {@code sent}.
   */
  static DataPlane withChild(FakeTun tun, List<byte[]> sent, long seed) {
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(seed));
    dp.sender((from, to, pkt, len, udp) -> sent.add(Arrays.copyOf(pkt, len)));
    dp.childEstablished(ike(), child());
    return dp;
  }

  @Test
  void superPacketsLeaveAsOneEspPacketPerSegment_andInboundGetsAZeroHeader() {
    FakeTun tun = new FakeTun();
    tun.reads.add(tcp(0x02, 0, 0, 0, new byte[] {2, 4, 0x05, (byte) 0xb4})); // SYN, MSS 1460
    tun.reads.add(tcp(0x18, 5000, VirtioNetHdr.GSO_TCPV4, 1360, new byte[0])); // 4 segments
    tun.reads.add(tcp(0x10, 100, VirtioNetHdr.GSO_UDP, 1360, new byte[0])); // refused
    List<byte[]> sent = new ArrayList<>();
    DataPlane dp = withChild(tun, sent, 3);
    dp.runOutbound();

    assertEquals(5, sent.size());
    assertEquals(5, dp.outPackets.sum());
    assertEquals(1, dp.drops.get(DropCounters.Reason.BAD_OFFLOAD));
    EspSa peerIn =
        new EspSa(0x2002, true, EspCipher.ESP_AES_GCM_16, null, Secret.copyOf(KEY_OUT), 0, 0, 0);
    byte[] inner = new byte[2000];
    int[] nh = new int[1];
    int syn = EspCodec.decapsulate(peerIn, sent.get(0), 0, sent.get(0).length, inner, 0, nh);
    assertEquals(44, syn);
    assertEquals(MTU - 40, get16(inner, 42), "the plain SYN was clamped");
    assertTrue(tcpVerifies(inner, syn), "its partial checksum was completed, then adjusted");
    for (int i = 1; i <= 4; i++) {
      byte[] esp = sent.get(i);
      int n = EspCodec.decapsulate(peerIn, esp, 0, esp.length, inner, 0, nh);
      assertEquals(i < 4 ? 1400 : 40 + 5000 - 3 * 1360, n, "segment " + i);
      assertEquals(0x7000 + (i - 1) * 1360, get16(inner, 24 + 2), "sequence number");
      assertEquals(i < 4 ? 0x10 : 0x18, inner[33] & 0xff, "PSH on the last only");
      assertTrue(tcpVerifies(inner, n), "segment " + i);
    }

    EspSa peerOut =
        new EspSa(0x1001, false, EspCipher.ESP_AES_GCM_16, null, Secret.copyOf(KEY_IN), 0, 0, 0);
    byte[] reply = Arrays.copyOfRange(tcp(0x10, 10, 0, 0, new byte[0]), 10, 10 + 50);
    System.arraycopy(REMOTE, 0, reply, 12, 4);
    System.arraycopy(LOCAL, 0, reply, 16, 4);
    byte[] esp = new byte[300];
    int m =
        EspCodec.encapsulate(
            peerOut, RandomSource.deterministic(4), reply, 0, 50, EspCodec.NEXT_IPV4, esp, 0);
    dp.inbound(esp, 0, m, new byte[65536 + 256]);
    assertEquals(1, tun.writes.size(), dp.drops.toString());
    byte[] written = tun.writes.get(0);
    assertArrayEquals(new byte[10], Arrays.copyOf(written, 10), "zero virtio_net_hdr");
    assertArrayEquals(reply, Arrays.copyOfRange(written, 10, written.length));
  }

  @Test
  void ipv6FromTheHostKernel_isCountedAsNoRoute_notAsMalformed() {
    FakeTun tun = new FakeTun();
    byte[] rs = new byte[10 + 40 + 8]; // virtio_net_hdr + IPv6 router solicitation to ff02::2
    rs[10] = 0x60;
    rs[10 + 5] = 8;
    rs[10 + 6] = 58;
    rs[10 + 7] = (byte) 255;
    rs[10 + 24] = (byte) 0xff;
    rs[10 + 25] = 0x02;
    rs[10 + 39] = 0x02;
    rs[10 + 40] = (byte) 133;
    tun.reads.add(rs);
    List<byte[]> sent = new ArrayList<>();
    DataPlane dp = withChild(tun, sent, 4);
    dp.runOutbound();
    assertEquals(0, sent.size());
    assertEquals(1, dp.drops.get(DropCounters.Reason.NO_ROUTE), dp.drops.toString());
    assertEquals(0, dp.drops.get(DropCounters.Reason.MALFORMED), dp.drops.toString());
  }

  @Test
  void egressDrops_areCountedOnceByTheEgress_unknownDestinationsAsNoRoute() {
    FakeTun tun = new FakeTun();
    byte[] toPpp = tcp(0x10, 10, 0, 0, new byte[0]); // LOCAL -> REMOTE, but no tunnel child
    for (int i = 0; i < 3; i++) {
      tun.reads.add(toPpp.clone());
    }
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(5));
    dp.sender((from, to, pkt, len, udp) -> {});
    ArrayDeque<Integer> answers =
        new ArrayDeque<>(List.of(Egress.SENT, Egress.DROPPED, Egress.NO_DESTINATION));
    dp.egress((p, off, len) -> answers.poll());
    dp.runOutbound();
    assertTrue(answers.isEmpty());
    assertEquals(1, dp.drops.get(DropCounters.Reason.NO_ROUTE), dp.drops.toString());
    long all = 0;
    for (DropCounters.Reason r : DropCounters.Reason.values()) {
      all += dp.drops.get(r);
    }
    assertEquals(1, all, "the DROPPED one is the egress's to count: " + dp.drops);
    assertEquals(1, dp.outPackets.sum(), "only the SENT one went out");
  }
}
