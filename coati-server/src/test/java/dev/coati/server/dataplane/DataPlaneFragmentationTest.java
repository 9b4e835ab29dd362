package dev.coati.server.dataplane;

import static dev.coati.server.dataplane.DataPlaneOffloadTest.KEY_OUT;
import static dev.coati.server.dataplane.DataPlaneOffloadTest.LOCAL;
import static dev.coati.server.dataplane.DataPlaneOffloadTest.REMOTE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ip.InternetChecksum;
import dev.coati.ip.VirtioNetHdr;
import dev.coati.util.RandomSource;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ESP fragmentation in the data plane (esp.fragment_size 552): a 1428-byte echo towards the client
 * leaves as three ESP packets whose inner fragments are at most 552 bytes and reassemble to it; a
 * DF packet is answered on the TUN with ICMP fragmentation needed, MTU 552, to its sender (from its
 * destination); TCP SYNs are clamped to 552 - 40.
 */
class DataPlaneFragmentationTest {
  static byte[] echo(int payload, boolean df) {
    byte[] p = new byte[VirtioNetHdr.LENGTH + 28 + payload];
    int o = VirtioNetHdr.LENGTH;
    int len = 28 + payload;
    p[o] = 0x45;
    p[o + 2] = (byte) (len >>> 8);
    p[o + 3] = (byte) len;
    p[o + 6] = (byte) (df ? 0x40 : 0);
    p[o + 8] = 64;
    p[o + 9] = 1;
    System.arraycopy(LOCAL, 0, p, o + 12, 4);
    System.arraycopy(REMOTE, 0, p, o + 16, 4);
    InternetChecksum.ipv4Header(p, o, 20);
    p[o + 20] = 8;
    for (int i = 0; i < payload; i++) {
      p[o + 28 + i] = (byte) (i * 7);
    }
    return p;
  }

  @Test
  void bigPacketsFragmentBeforeEncryption_dfGetsIcmp_synsClampedToTheFragmentSize() {
    DataPlaneOffloadTest.FakeTun tun = new DataPlaneOffloadTest.FakeTun();
    byte[] big = echo(1400, false);
    tun.reads.add(big);
    tun.reads.add(echo(1400, true));
    tun.reads.add(echo(100, true)); // fits: goes as it is, DF or not
    tun.reads.add(DataPlaneOffloadTest.tcp(0x02, 0, 0, 0, new byte[] {2, 4, 0x05, (byte) 0xb4}));
    List<byte[]> sent = new ArrayList<>();
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(7));
    dp.sender((from, to, pkt, len, udp) -> sent.add(Arrays.copyOf(pkt, len)));
    dp.fragmentation(sa -> 552);
    dp.childEstablished(DataPlaneOffloadTest.ike(), DataPlaneOffloadTest.child());
    dp.runOutbound();

    assertEquals(5, sent.size(), dp.drops.toString());
    EspSa peerIn =
        new EspSa(0x2002, true, EspCipher.ESP_AES_GCM_16, null, Secret.copyOf(KEY_OUT), 0, 0, 0);
    byte[] inner = new byte[2000];
    int[] nh = new int[1];
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      byte[] esp = sent.get(i);
      int n = EspCodec.decapsulate(peerIn, esp, 0, esp.length, inner, 0, nh);
      assertTrue(n > 0 && n <= 552, "fragment " + i + ": " + n);
      assertEquals((i * 528) / 8, ((inner[6] & 0x1f) << 8) | (inner[7] & 0xff), "offset");
      data.write(inner, 20, n - 20);
    }
    assertArrayEquals(
        Arrays.copyOfRange(big, VirtioNetHdr.LENGTH + 20, big.length), data.toByteArray());
    assertEquals(
        128, EspCodec.decapsulate(peerIn, sent.get(3), 0, sent.get(3).length, inner, 0, nh));
    int syn = EspCodec.decapsulate(peerIn, sent.get(4), 0, sent.get(4).length, inner, 0, nh);
    assertEquals(552 - 40, DataPlaneOffloadTest.get16(inner, syn - 2), "MSS clamped");

    assertEquals(1, dp.drops.get(DropCounters.Reason.FRAGMENTATION_NEEDED));
    assertEquals(1, tun.writes.size());
    byte[] icmp =
        Arrays.copyOfRange(tun.writes.get(0), VirtioNetHdr.LENGTH, tun.writes.get(0).length);
    assertArrayEquals(REMOTE, Arrays.copyOfRange(icmp, 12, 16), "from the packet's destination");
    assertArrayEquals(LOCAL, Arrays.copyOfRange(icmp, 16, 20), "to the sender");
    assertEquals(3, icmp[20]);
    assertEquals(4, icmp[21]);
    assertEquals(552, DataPlaneOffloadTest.get16(icmp, 26), "next-hop MTU");
  }
}
