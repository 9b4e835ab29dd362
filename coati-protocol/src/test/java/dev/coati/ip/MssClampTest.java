package dev.coati.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.util.ByteWriter;
import org.junit.jupiter.api.Test;

class MssClampTest {
  /** An IPv4 TCP SYN 10.0.0.1:40000 -> 10.0.0.2:80 with NOP, NOP, MSS and a valid checksum. */
  static byte[] syn(int mss, int flags, boolean nopsFirst) {
    ByteWriter tcp = new ByteWriter(28);
    tcp.u16(40000).u16(80).i32(12345).i32(0).u8(7 << 4).u8(flags).u16(64240).u16(0).u16(0);
    if (nopsFirst) {
      tcp.u8(1).u8(1).u8(2).u8(4).u16(mss);
    } else {
      tcp.u8(2).u8(4).u16(mss).u8(1).u8(1);
    }
    tcp.u8(1).u8(1).u8(1).u8(0);
    byte[] t = tcp.toByteArray();
    ByteWriter ip = new ByteWriter(20 + t.length);
    ip.u8(0x45).u8(0).u16(20 + t.length).u16(1).u16(0x4000).u8(64).u8(6).u16(0);
    ip.bytes(new byte[] {10, 0, 0, 1}).bytes(new byte[] {10, 0, 0, 2}).bytes(t);
    byte[] p = ip.toByteArray();
    int c = tcpChecksum(p);
    p[20 + 16] = (byte) (c >>> 8);
    p[20 + 17] = (byte) c;
    return p;
  }

  /** The TCP checksum computed from scratch (with the checksum field taken as zero). */
  static int tcpChecksum(byte[] p) {
    int len = p.length - 20;
    long sum = 0;
    for (int i = 12; i < 20; i += 2) {
      sum += ((p[i] & 0xff) << 8) | (p[i + 1] & 0xff);
    }
    sum += 6 + len;
    for (int i = 20; i < p.length; i += 2) {
      if (i == 36) {
        continue;
      }
      sum += ((p[i] & 0xff) << 8) | (i + 1 < p.length ? p[i + 1] & 0xff : 0);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  static int mssOf(byte[] p, boolean nopsFirst) {
    int at = 20 + 20 + (nopsFirst ? 4 : 2);
    return ((p[at] & 0xff) << 8) | (p[at + 1] & 0xff);
  }

  static int storedChecksum(byte[] p) {
    return ((p[36] & 0xff) << 8) | (p[37] & 0xff);
  }

  @Test
  void synWithLargeMss_isClamped_checksumStillValid() {
    for (boolean nopsFirst : new boolean[] {true, false}) {
      byte[] p = syn(1460, 0x02, nopsFirst);
      assertTrue(MssClamp.clamp(p, 0, p.length, 1360));
      assertEquals(1360, mssOf(p, nopsFirst));
      assertEquals(tcpChecksum(p), storedChecksum(p), "incremental update equals a full recompute");
    }
  }

  @Test
  void smallMss_nonSyn_andNonTcp_areLeftAlone() {
    byte[] small = syn(1200, 0x02, true);
    assertFalse(MssClamp.clamp(small, 0, small.length, 1360));
    byte[] ack = syn(1460, 0x10, true);
    assertFalse(MssClamp.clamp(ack, 0, ack.length, 1360));
    byte[] udp = syn(1460, 0x02, true);
    udp[9] = 17;
    assertFalse(MssClamp.clamp(udp, 0, udp.length, 1360));
    assertFalse(MssClamp.clamp(new byte[10], 0, 10, 1360));
  }

  @Test
  void synAck_isClampedToo() {
    byte[] p = syn(8960, 0x12, false);
    assertTrue(MssClamp.clamp(p, 0, p.length, 1360));
    assertEquals(tcpChecksum(p), storedChecksum(p));
  }
}
