package dev.coati.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpSegmenterTest {
  static final int ACK = 0x10;
  static final int FIN = 0x01;
  static final int PSH = 0x08;
  static final int CWR = 0x80;
  static final int ECE = 0x40;

  /** A virtio_net_hdr and an IPv4/TCP packet 10.1.0.1:40000 -> 10.2.0.9:5201. */
  record Spec(
      int ihl,
      int tcpOptions,
      int payload,
      int seq,
      int id,
      int tcpFlags,
      int vflags,
      int gsoType,
      int gsoSize,
      int hdrLen) {
    static Spec gso(int payload, int gsoSize) {
      return new Spec(20, 12, payload, 1_000_000, 7, ACK | PSH, 1, 1, gsoSize, -1);
    }

    Spec with(int tcpFlags) {
      return new Spec(
          ihl, tcpOptions, payload, seq, id, tcpFlags, vflags, gsoType, gsoSize, hdrLen);
    }
  }

  static byte payloadByte(int i) {
    return (byte) (i * 7 + 3 + (i >>> 8));
  }

  static byte[] build(Spec s) {
    int tcpLen = 20 + s.tcpOptions() + s.payload();
    int total = s.ihl() + tcpLen;
    byte[] b = new byte[VirtioNetHdr.LENGTH + total];
    int ip = VirtioNetHdr.LENGTH;
    b[ip] = (byte) (0x40 | (s.ihl() / 4));
    put16(b, ip + 2, total);
    put16(b, ip + 4, s.id());
    put16(b, ip + 6, 0x4000);
    b[ip + 8] = 64;
    b[ip + 9] = 6;
    System.arraycopy(new byte[] {10, 1, 0, 1, 10, 2, 0, 9}, 0, b, ip + 12, 8);
    for (int i = 20; i < s.ihl(); i++) {
      b[ip + i] = 1; // IP option NOP
    }
    int t = ip + s.ihl();
    put16(b, t, 40000);
    put16(b, t + 2, 5201);
    put32(b, t + 4, s.seq());
    put32(b, t + 8, 0x11223344);
    b[t + 12] = (byte) (((20 + s.tcpOptions()) / 4) << 4);
    b[t + 13] = (byte) s.tcpFlags();
    put16(b, t + 14, 502);
    for (int i = 0; i < s.tcpOptions(); i++) {
      b[t + 20 + i] = (byte) (i == 0 ? 1 : i + 40); // NOP, then arbitrary option bytes
    }
    for (int i = 0; i < s.payload(); i++) {
      b[t + 20 + s.tcpOptions() + i] = payloadByte(i);
    }
    // the kernel's CHECKSUM_PARTIAL state: the folded pseudo-header sum, not complemented
    put16(b, t + 16, fold(pseudo(b, ip, tcpLen)));
    int hdrLen = s.hdrLen() >= 0 ? s.hdrLen() : s.ihl() + 20 + s.tcpOptions();
    VirtioNetHdr.write(b, 0, s.vflags(), s.gsoType(), hdrLen, s.gsoSize(), s.ihl(), 16);
    return b;
  }

  // --- an independent checker: 16-bit words, one at a time -------------------------------------

  static long sum16(byte[] b, int from, int to, long acc) {
    for (int i = from; i < to; i += 2) {
      acc += ((b[i] & 0xff) << 8) | (i + 1 < to ? b[i + 1] & 0xff : 0);
    }
    return acc;
  }

  static int fold(long s) {
    while ((s >>> 16) != 0) {
      s = (s & 0xffff) + (s >>> 16);
    }
    return (int) s;
  }

  static long pseudo(byte[] b, int ip, int l4Len) {
    return sum16(b, ip + 12, ip + 20, (b[ip + 9] & 0xff) + (long) l4Len);
  }

  /** True if the IPv4 header and the TCP/UDP checksum of the packet at b[0, len) verify. */
  static boolean checksumsVerify(byte[] b, int off, int len) {
    int ihl = (b[off] & 0x0f) * 4;
    boolean ipOk = fold(sum16(b, off, off + ihl, 0)) == 0xffff;
    long s = pseudo(b, off, len - ihl);
    return ipOk && fold(sum16(b, off + ihl, off + len, s)) == 0xffff;
  }

  static int get16(byte[] b, int at) {
    return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
  }

  static int get32(byte[] b, int at) {
    return (get16(b, at) << 16) | get16(b, at + 2);
  }

  static void put16(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 8);
    b[at + 1] = (byte) v;
  }

  static void put32(byte[] b, int at, int v) {
    put16(b, at, v >>> 16);
    put16(b, at + 2, v);
  }

  // --- segmentation ----------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 1387, 1388, 1389, 2776, 2777, 13880, 65535 - 52})
  void segmentCountsAndSizes_atTheBoundaries(int payload) {
    int mss = 1388;
    Spec s = Spec.gso(payload, mss);
    byte[] p = build(s);
    TcpSegmenter seg = new TcpSegmenter();
    int n = seg.load(p, 0, p.length);
    int expected = payload == 0 ? 1 : (payload + mss - 1) / mss;
    assertEquals(expected, n);
    assertTrue(seg.gso());
    assertEquals(52, seg.headerLength());
    byte[] out = new byte[70000];
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      int len = seg.segment(i, out, 5);
      int want = 52 + (i < n - 1 ? mss : payload - (n - 1) * mss);
      assertEquals(want, len, "segment " + i);
      assertTrue(len <= seg.maxSegmentLength());
      assertEquals(len, get16(out, 5 + 2), "IPv4 total length");
      assertTrue(checksumsVerify(out, 5, len), "checksums of segment " + i);
      joined.write(out, 5 + 52, len - 52);
    }
    byte[] all = joined.toByteArray();
    assertEquals(payload, all.length);
    for (int i = 0; i < payload; i++) {
      assertEquals(payloadByte(i), all[i], "payload byte " + i);
    }
  }

  @Test
  void sequenceNumbersAdvance_andWrapAround() {
    Spec s = new Spec(20, 0, 5000, 0xffff_f000, 0xfffe, ACK, 1, 1, 1460, -1);
    byte[] p = build(s);
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(4, seg.load(p, 0, p.length));
    byte[] out = new byte[2000];
    for (int i = 0; i < 4; i++) {
      int len = seg.segment(i, out, 0);
      assertEquals(0xffff_f000 + i * 1460, get32(out, 24), "seq of " + i);
      assertEquals((0xfffe + i) & 0xffff, get16(out, 4), "IP ID increments and wraps");
      assertEquals(0x4000, get16(out, 6), "DF kept");
      assertEquals(0x11223344, get32(out, 28), "ack number kept");
      assertTrue(checksumsVerify(out, 0, len));
    }
  }

  @Test
  void finAndPsh_onlyOnTheLast_cwrOnlyOnTheFirst() {
    byte[] p = build(Spec.gso(4000, 1000).with(ACK | PSH | FIN | CWR | ECE));
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(4, seg.load(p, 0, p.length));
    byte[] out = new byte[2000];
    int[] want = {ACK | CWR | ECE, ACK | ECE, ACK | ECE, ACK | ECE | PSH | FIN};
    for (int i = 0; i < 4; i++) {
      int len = seg.segment(i, out, 0);
      assertEquals(want[i], out[20 + 13] & 0xff, "flags of segment " + i);
      assertTrue(checksumsVerify(out, 0, len));
    }
  }

  @Test
  void oneSegmentOnly_keepsEveryFlag() {
    byte[] p = build(Spec.gso(100, 1000).with(ACK | PSH | FIN | CWR));
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(1, seg.load(p, 0, p.length));
    byte[] out = new byte[2000];
    int len = seg.segment(0, out, 0);
    assertEquals(ACK | PSH | FIN | CWR, out[33] & 0xff);
    assertEquals(20 + 32 + 100, len);
    assertTrue(checksumsVerify(out, 0, len));
  }

  @Test
  void ipOptions_ecnGsoType_andAShortHdrLenHint_areHandled() {
    Spec s = new Spec(24, 20, 3000, 42, 1, ACK, 1, 0x81, 1200, 14);
    byte[] p = build(s);
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(3, seg.load(p, 0, p.length));
    assertEquals(64, seg.headerLength());
    byte[] out = new byte[2000];
    for (int i = 0; i < 3; i++) {
      int len = seg.segment(i, out, 0);
      assertEquals(0x46, out[0] & 0xff);
      assertEquals(1, out[20], "IP option copied");
      assertEquals(42 + 1200 * i, get32(out, 24 + 4));
      assertTrue(checksumsVerify(out, 0, len));
    }
  }

  @Test
  void gsoWithoutNeedsCsum_stillGetsFullChecksums() {
    Spec s = new Spec(20, 0, 3000, 1, 1, ACK, 0, 1, 1000, -1);
    byte[] p = build(s);
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(3, seg.load(p, 0, p.length));
    byte[] out = new byte[2000];
    assertTrue(checksumsVerify(out, 0, seg.segment(2, out, 0)));
  }

  @Test
  void theSuperPacketItselfIsLeftUntouched() {
    byte[] p = build(Spec.gso(5000, 1000).with(ACK | FIN | CWR));
    byte[] copy = p.clone();
    TcpSegmenter seg = new TcpSegmenter();
    int n = seg.load(p, 0, p.length);
    byte[] out = new byte[2000];
    for (int i = n - 1; i >= 0; i--) {
      seg.segment(i, out, 0); // any order
    }
    assertArrayEquals(copy, p);
  }

  // --- NEEDS_CSUM without GSO ------------------------------------------------------------------

  @Test
  void partialTcpChecksum_isCompletedInPlace() {
    byte[] p = build(new Spec(20, 12, 777, 9, 3, ACK | PSH, 1, 0, 0, 0));
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(1, seg.load(p, 0, p.length));
    assertFalse(seg.gso());
    assertEquals(10, seg.packetOffset());
    assertEquals(p.length - 10, seg.packetLength());
    assertTrue(checksumsVerifyTcpOnly(p, 10, p.length - 10));
    byte[] out = new byte[2000];
    assertEquals(p.length - 10, seg.segment(0, out, 3));
    assertTrue(checksumsVerifyTcpOnly(out, 3, p.length - 10));
  }

  /** IP checksum of these test packets is not set for the non-GSO case: only L4 counts. */
  static boolean checksumsVerifyTcpOnly(byte[] b, int off, int len) {
    int ihl = (b[off] & 0x0f) * 4;
    return fold(sum16(b, off + ihl, off + len, pseudo(b, off, len - ihl))) == 0xffff;
  }

  static byte[] udp(int payload, int tailWord) {
    int total = 28 + payload;
    byte[] b = new byte[10 + total];
    int ip = 10;
    b[ip] = 0x45;
    put16(b, ip + 2, total);
    b[ip + 8] = 64;
    b[ip + 9] = 17;
    System.arraycopy(new byte[] {10, 1, 0, 1, 10, 2, 0, 9}, 0, b, ip + 12, 8);
    put16(b, ip + 20, 5353);
    put16(b, ip + 22, 53);
    put16(b, ip + 24, 8 + payload);
    for (int i = 0; i < payload; i++) {
      b[ip + 28 + i] = payloadByte(i);
    }
    put16(b, b.length - 2, tailWord);
    put16(b, ip + 26, fold(pseudo(b, ip, 8 + payload)));
    VirtioNetHdr.write(b, 0, 1, 0, 0, 0, 20, 6);
    return b;
  }

  @Test
  void partialUdpChecksum_isCompleted_andZeroBecomesFfff() {
    byte[] p = udp(100, 0);
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(1, seg.load(p, 0, p.length));
    assertTrue(checksumsVerifyTcpOnly(p, 10, p.length - 10));
    int c = get16(p, 10 + 26);
    // a tail word equal to that checksum makes the true checksum 0, sent as 0xffff (RFC 768)
    byte[] q = udp(100, c);
    assertEquals(1, seg.load(q, 0, q.length));
    assertEquals(0xffff, get16(q, 10 + 26));
    assertTrue(checksumsVerifyTcpOnly(q, 10, q.length - 10));
  }

  @Test
  void plainPacket_isPassedAsItIs() {
    byte[] p = udp(50, 0);
    p[0] = 0; // no NEEDS_CSUM
    byte[] copy = p.clone();
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(1, seg.load(p, 0, p.length));
    assertArrayEquals(copy, p);
    assertEquals(78, seg.maxSegmentLength());
  }
}
