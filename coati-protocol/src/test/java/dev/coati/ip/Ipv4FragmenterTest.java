package dev.coati.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.coati.testing.PcapWriter;
import dev.coati.testing.Tshark;
import dev.coati.util.Hex;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 791 fragmentation of inner packets before ESP, and the ICMP answer for DF packets. */
class Ipv4FragmenterTest {
  @TempDir Path dir;

  /** The packet {@code ping -s 1400} sends: IPv4 + ICMP echo, 1428 bytes. */
  static byte[] echo(int payload, boolean df) {
    byte[] p = new byte[28 + payload];
    p[0] = 0x45;
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    p[4] = 0x12;
    p[5] = 0x34;
    p[6] = (byte) (df ? 0x40 : 0);
    p[8] = 64;
    p[9] = 1;
    System.arraycopy(new byte[] {10, 0, 0, 1, 10, 99, 99, 2}, 0, p, 12, 8);
    InternetChecksum.ipv4Header(p, 0, 20);
    p[20] = 8;
    p[24] = 0x0b;
    p[27] = 1;
    for (int i = 0; i < payload; i++) {
      p[28 + i] = (byte) i;
    }
    int c = InternetChecksum.finish(InternetChecksum.add(p, 20, 8 + payload, 0));
    p[22] = (byte) (c >>> 8);
    p[23] = (byte) c;
    return p;
  }

  static List<byte[]> fragments(byte[] p, int mtu) {
    int n = Ipv4Fragmenter.count(p, 0, p.length, mtu);
    List<byte[]> out = new ArrayList<>();
    byte[] buf = new byte[mtu + 3];
    for (int i = 0; i < n; i++) {
      int len = Ipv4Fragmenter.fragment(p, 0, p.length, mtu, i, buf, 3);
      out.add(Arrays.copyOfRange(buf, 3, 3 + len));
    }
    return out;
  }

  static int fragmentOffset(byte[] f) {
    return (((f[6] & 0x1f) << 8) | (f[7] & 0xff)) * 8;
  }

  static boolean moreFragments(byte[] f) {
    return (f[6] & 0x20) != 0;
  }

  @Test
  void ping1400_at552_threeFragmentsThatReassemble() {
    byte[] p = echo(1400, false);
    assertEquals(3, Ipv4Fragmenter.count(p, 0, p.length, 552));
    List<byte[]> f = fragments(p, 552);
    assertEquals(List.of(548, 548, 372), f.stream().map(b -> b.length).toList());
    assertEquals(
        List.of(0, 528, 1056), f.stream().map(Ipv4FragmenterTest::fragmentOffset).toList());
    assertEquals(
        List.of(true, true, false), f.stream().map(Ipv4FragmenterTest::moreFragments).toList());
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (byte[] b : f) {
      assertEquals(0xffff, InternetChecksum.fold(InternetChecksum.add(b, 0, 20, 0)), "checksum");
      assertEquals(b.length, ((b[2] & 0xff) << 8) | (b[3] & 0xff));
      assertEquals("1234", Hex.encode(Arrays.copyOfRange(b, 4, 6)), "same identification");
      data.write(b, 20, b.length - 20);
    }
    assertArrayEquals(Arrays.copyOfRange(p, 20, p.length), data.toByteArray());
  }

  @Test
  void tsharkReassemblesTheFragmentsIntoTheOriginalEcho() throws Exception {
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    byte[] p = echo(1400, false);
    Path pcap = dir.resolve("fragments.pcap");
    PcapWriter.writeRaw(pcap, fragments(p, 552));
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of("-o", "ip.defragment:TRUE", "-o", "ip.check_checksum:TRUE", "-Y", "icmp"),
            "ip.fragment.count",
            "ip.reassembled.length",
            "icmp.type",
            "icmp.checksum.status",
            "ip.checksum.status");
    assertEquals(List.of(List.of("3", "1408", "8", "1", "1")), rows);
  }

  @Test
  void fits_dontFragment_malformed() {
    byte[] p = echo(1400, false);
    assertEquals(Ipv4Fragmenter.FITS, Ipv4Fragmenter.count(p, 0, p.length, 1428));
    byte[] df = echo(1400, true);
    assertEquals(Ipv4Fragmenter.DONT_FRAGMENT, Ipv4Fragmenter.count(df, 0, df.length, 552));
    assertEquals(Ipv4Fragmenter.FITS, Ipv4Fragmenter.count(df, 0, df.length, 1500));
    assertEquals(Ipv4Fragmenter.MALFORMED, Ipv4Fragmenter.count(p, 0, 1000, 552), "cut short");
    assertEquals(Ipv4Fragmenter.MALFORMED, Ipv4Fragmenter.count(p, 0, p.length, 60), "mtu < 68");
    byte[] v6 = p.clone();
    v6[0] = 0x60;
    assertEquals(Ipv4Fragmenter.MALFORMED, Ipv4Fragmenter.count(v6, 0, v6.length, 552));
  }

  @Test
  void aFragmentIsFragmentedFurther_offsetsAndLastMoreFragmentsFlagKept() {
    byte[] p = echo(1000, false);
    p[6] = 0x20; // MF: this is the first part of a larger datagram, at offset 800
    p[7] = 100;
    InternetChecksum.ipv4Header(p, 0, 20);
    List<byte[]> f = fragments(p, 576);
    assertEquals(List.of(800, 1352), f.stream().map(Ipv4FragmenterTest::fragmentOffset).toList());
    assertTrue(f.stream().allMatch(Ipv4FragmenterTest::moreFragments), "the original's MF stays");
  }

  @Test
  void onlyCopiedOptionsFollowIntoLaterFragments() {
    byte[] base = echo(600, false);
    // options: Record Route (7, not copied, 7 bytes), NOP, Security-like copied option 0x82 (4)
    byte[] opts = Hex.decode("0707040000000001" + "82040102");
    byte[] p = new byte[base.length + opts.length];
    System.arraycopy(base, 0, p, 0, 20);
    System.arraycopy(opts, 0, p, 20, opts.length);
    System.arraycopy(base, 20, p, 20 + opts.length, base.length - 20);
    p[0] = 0x48; // 32-byte header
    p[2] = (byte) (p.length >>> 8);
    p[3] = (byte) p.length;
    InternetChecksum.ipv4Header(p, 0, 32);
    List<byte[]> f = fragments(p, 300);
    assertEquals(0x48, f.get(0)[0], "first fragment: every option");
    assertArrayEquals(opts, Arrays.copyOfRange(f.get(0), 20, 32));
    for (byte[] later : f.subList(1, f.size())) {
      assertEquals(0x46, later[0], "later fragments: the copied option, padded");
      assertEquals("82040102", Hex.encode(Arrays.copyOfRange(later, 20, 24)));
      assertEquals(0xffff, InternetChecksum.fold(InternetChecksum.add(later, 0, 24, 0)));
      assertTrue(later.length <= 300);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (byte[] b : f) {
      int hl = (b[0] & 0x0f) * 4;
      data.write(b, hl, b.length - hl);
    }
    assertArrayEquals(Arrays.copyOfRange(p, 32, p.length), data.toByteArray());
  }

  @Test
  void icmpFragmentationNeeded_tsharkReadsTypeCodeAndMtu() throws Exception {
    byte[] df = echo(1400, true);
    byte[] out = new byte[IcmpError.MAX_LENGTH + 5];
    int gateway = (10 << 24) | (99 << 16) | (99 << 8) | 1;
    int n = IcmpError.fragmentationNeeded(df, 0, df.length, 552, gateway, out, 5);
    assertEquals(IcmpError.MAX_LENGTH, n, "as much of the packet as fits in 576 bytes");
    byte[] icmp = Arrays.copyOfRange(out, 5, 5 + n);
    assertEquals("0a636301", Hex.encode(Arrays.copyOfRange(icmp, 12, 16)));
    assertEquals("0a000001", Hex.encode(Arrays.copyOfRange(icmp, 16, 20)), "to the sender");
    assumeFalse(Tshark.skipped(), "COATI_SKIP_TSHARK=1");
    Path pcap = dir.resolve("icmp.pcap");
    PcapWriter.writeRaw(pcap, List.of(icmp));
    List<List<String>> rows =
        Tshark.fields(
            pcap,
            List.of("-o", "ip.check_checksum:TRUE"),
            "icmp.type",
            "icmp.code",
            "icmp.mtu",
            "icmp.checksum.status",
            "ip.checksum.status");
    // the quoted echo request follows (type 8 code 0; its checksum unverifiable once cut)
    assertEquals(List.of("3,8", "4,0", "552", "1,2", "1,1"), rows.get(0));
  }

  @Test
  void noIcmpAboutIcmpErrorsOrLaterFragments() {
    byte[] out = new byte[IcmpError.MAX_LENGTH];
    byte[] err = echo(100, true);
    err[20] = 3; // an ICMP error itself
    assertEquals(0, IcmpError.fragmentationNeeded(err, 0, err.length, 552, 1, out, 0));
    byte[] later = echo(100, true);
    later[7] = 10;
    assertEquals(0, IcmpError.fragmentationNeeded(later, 0, later.length, 552, 1, out, 0));
    byte[] udp = echo(100, true);
    udp[9] = 17;
    assertTrue(IcmpError.fragmentationNeeded(udp, 0, udp.length, 552, 1, out, 0) > 0);
  }
}
