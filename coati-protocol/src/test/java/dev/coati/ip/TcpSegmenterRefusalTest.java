package dev.coati.ip;

import static dev.coati.ip.TcpSegmenterTest.ACK;
import static dev.coati.ip.TcpSegmenterTest.build;
import static dev.coati.ip.TcpSegmenterTest.put16;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.ip.TcpSegmenter.Drop;
import dev.coati.ip.TcpSegmenterTest.Spec;
import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Malformed virtio headers and packets are refused by code; tshark agrees with our checksums. */
class TcpSegmenterRefusalTest {
  static final int VH = VirtioNetHdr.LENGTH;

  static Drop refusal(Spec s, Consumer<byte[]> damage) {
    byte[] p = build(s);
    damage.accept(p);
    byte[] copy = p.clone();
    TcpSegmenter seg = new TcpSegmenter();
    int r = seg.load(p, 0, p.length);
    assertTrue(r < 0, "accepted: " + r);
    assertEquals(0, seg.segments());
    assertArrayEquals(copy, p, "a refused packet is left as it was");
    return Drop.of(r);
  }

  static Drop refusal(Consumer<byte[]> damage) {
    return refusal(Spec.gso(4000, 1000), damage);
  }

  @Test
  void gsoSizeZero() {
    assertEquals(Drop.BAD_GSO_SIZE, refusal(p -> p[4] = p[5] = 0));
  }

  @Test
  void gsoSizeBeyondTheLargestPacket() {
    assertEquals(Drop.BAD_GSO_SIZE, refusal(p -> p[4] = p[5] = (byte) 0xff));
  }

  @Test
  void hdrLenBeyondThePacket() {
    assertEquals(
        Drop.BAD_HDR_LEN, refusal(p -> VirtioNetHdr.write(p, 0, 1, 1, 5000, 1000, 20, 16)));
  }

  @Test
  void gsoTypesOtherThanTcpv4() {
    for (int type : new int[] {2, 3, 4, 5, 6, 0x7f, 0x83, 0x84}) {
      assertEquals(Drop.UNSUPPORTED_GSO, refusal(p -> p[1] = (byte) type), "type " + type);
    }
  }

  @Test
  void tcpv4GsoOnANonTcpPacket() {
    assertEquals(Drop.NOT_TCP, refusal(p -> p[VH + 9] = 17));
  }

  @Test
  void badIpHeaders() {
    assertEquals(Drop.MALFORMED_IP, refusal(p -> p[VH] = 0x65), "IPv6 version nibble");
    assertEquals(Drop.MALFORMED_IP, refusal(p -> p[VH] = 0x44), "IHL 4");
    assertEquals(Drop.MALFORMED_IP, refusal(p -> put16(p, VH + 2, 4000)), "total length short");
    assertEquals(Drop.MALFORMED_IP, refusal(p -> put16(p, VH + 2, 0)), "total length 0");
    assertEquals(Drop.MALFORMED_IP, refusal(p -> p[VH + 6] = 0x20), "more fragments");
    assertEquals(Drop.MALFORMED_IP, refusal(p -> p[VH + 7] = 1), "fragment offset");
  }

  @Test
  void badTcpHeaders() {
    assertEquals(Drop.MALFORMED_TCP, refusal(p -> p[VH + 20 + 12] = 0x40), "data offset 4");
    Spec tiny = new Spec(20, 0, 0, 1, 1, ACK, 1, 1, 1000, 0);
    byte[] p = build(tiny);
    p[VH + 20 + 12] = (byte) 0xf0; // 60-byte TCP header in a 40-byte packet
    assertEquals(Drop.MALFORMED_TCP.ordinal(), -1 - new TcpSegmenter().load(p, 0, p.length));
    byte[] shortTcp = new byte[VH + 30];
    System.arraycopy(p, 0, shortTcp, 0, VH + 20);
    put16(shortTcp, VH + 2, 30);
    assertEquals(
        Drop.MALFORMED_TCP.ordinal(), -1 - new TcpSegmenter().load(shortTcp, 0, shortTcp.length));
  }

  @Test
  void csumOffsetsThatAreNotTcps() {
    assertEquals(
        Drop.BAD_CSUM_OFFSETS, refusal(p -> VirtioNetHdr.write(p, 0, 1, 1, 52, 1000, 24, 16)));
    assertEquals(
        Drop.BAD_CSUM_OFFSETS, refusal(p -> VirtioNetHdr.write(p, 0, 1, 1, 52, 1000, 20, 6)));
  }

  @Test
  void nonGsoChecksumOutsideThePacket() {
    Spec plain = new Spec(20, 0, 30, 1, 1, ACK, 1, 0, 0, 0);
    for (int[] so : new int[][] {{20, 49}, {69, 0}, {68, 1}, {21, 16}, {4, 6}, {0xffff, 0xffff}}) {
      assertEquals(
          Drop.BAD_CSUM_OFFSETS,
          refusal(plain, p -> VirtioNetHdr.write(p, 0, 1, 0, 0, 0, so[0], so[1])),
          so[0] + "/" + so[1]);
    }
  }

  @Test
  void shorterThanTheVirtioHeader() {
    TcpSegmenter seg = new TcpSegmenter();
    assertEquals(Drop.TOO_SHORT, Drop.of(seg.load(new byte[9], 0, 9)));
    assertEquals(Drop.BAD_GSO_SIZE, Drop.of(seg.load(new byte[] {1, 1, 0, 0, 0, 0}, 0, 6 + 4)));
  }

  /** Random damage never throws; whatever is accepted segments within bounds, checksums valid. */
  @Test
  void randomDamage_neverThrows() {
    Random r = new Random(20261201);
    TcpSegmenter seg = new TcpSegmenter();
    byte[] out = new byte[TcpSegmenter.MAX_PACKET];
    int accepted = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] p = build(Spec.gso(r.nextInt(6000), 1 + r.nextInt(1500)));
      for (int k = 0; k < 1 + r.nextInt(3); k++) {
        p[r.nextInt(Math.min(p.length, VH + 60))] = (byte) r.nextInt();
      }
      int len = r.nextInt(8) == 0 ? r.nextInt(p.length + 1) : p.length;
      int segs = seg.load(p, 0, len);
      if (segs > 0) {
        accepted++;
        for (int i = 0; i < segs; i++) {
          int l = seg.segment(i, out, 0);
          assertTrue(l > 0 && l <= seg.maxSegmentLength());
          if (seg.gso()) {
            assertTrue(TcpSegmenterTest.checksumsVerify(out, 0, l), "segment " + i + " of " + n);
          }
        }
      }
    }
    assertTrue(accepted > 1000, "the damage left some packets valid: " + accepted);
  }

  @Test
  void loadAndSegment_allocateNothing() {
    byte[] p = build(Spec.gso(60_000, 1448));
    byte[] out = new byte[2000];
    TcpSegmenter seg = new TcpSegmenter();
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().threadId();
    for (int warm = 0; warm < 2; warm++) {
      long before = mx.getThreadAllocatedBytes(tid);
      for (int k = 0; k < 2000; k++) {
        int n = seg.load(p, 0, p.length);
        for (int i = 0; i < n; i++) {
          seg.segment(i, out, 0);
        }
      }
      long used = mx.getThreadAllocatedBytes(tid) - before;
      if (warm == 1) {
        assertTrue(used < 4096, "allocated " + used + " bytes for 84,000 segments");
      }
    }
  }

  @Test
  void tsharkVerifiesEverySegmentsChecksums(@TempDir Path dir) throws Exception {
    Assumptions.assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    List<byte[]> packets = new ArrayList<>();
    TcpSegmenter seg = new TcpSegmenter();
    byte[] out = new byte[TcpSegmenter.MAX_PACKET];
    Spec[] specs = {
      Spec.gso(65535 - 52, 1448),
      new Spec(24, 20, 3001, -5000, 0xffff, ACK | 0x08 | 0x01, 1, 1, 1000, -1),
      Spec.gso(1, 536),
    };
    int expectedSegments = 0;
    for (Spec s : specs) {
      byte[] p = build(s);
      int n = seg.load(p, 0, p.length);
      expectedSegments += n;
      for (int i = 0; i < n; i++) {
        int len = seg.segment(i, out, 0);
        packets.add(java.util.Arrays.copyOf(out, len));
      }
    }
    Path pcap = dir.resolve("segments.pcap");
    PcapWriter.writeRaw(pcap, packets);
    Files.copy(
        pcap,
        Path.of("target", "tcp-segments.pcap"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of("-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE"),
            "ip.checksum.status",
            "tcp.checksum.status",
            "tcp.len",
            "ip.len",
            "_ws.expert");
    assertEquals(expectedSegments, rows.size());
    assertEquals(46 + 4 + 1, rows.size());
    for (List<String> row : rows) {
      assertEquals("1", row.get(0), "IP checksum good: " + row);
      assertEquals("1", row.get(1), "TCP checksum good: " + row);
    }
    assertEquals("1448", rows.get(0).get(2));
    assertEquals("1500", rows.get(0).get(3));
    assertEquals("1", rows.get(rows.size() - 1).get(2));
  }
}
