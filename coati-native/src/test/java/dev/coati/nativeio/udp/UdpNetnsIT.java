package dev.coati.nativeio.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both socket implementations between two network namespaces made here, cn-a (10.77.0.1) and cn-b
 * (10.77.0.2), joined by a veth pair: 64-datagram batches with the right source address and port
 * and IP_PKTINFO destination, and raw IP protocol 50 packets (IPv4 header stripped by IHL). Needs
 * root.
 */
class UdpNetnsIT {
  static final String A = "cn-a";
  static final String B = "cn-b";
  static final int ADDR_A = Datagrams.ipv4(new byte[] {10, 77, 0, 1});
  static final int ADDR_B = Datagrams.ipv4(new byte[] {10, 77, 0, 2});

  static void sh(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", cmd) + ": " + out);
    }
  }

  static void quiet(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  @BeforeAll
  static void namespaces() throws Exception {
    assumeFalse("1".equals(System.getenv("COATI_SKIP_INTEROP")), "COATI_SKIP_INTEROP=1");
    assertEquals("root", System.getProperty("user.name"), "needs root for netns and raw sockets");
    removeNamespaces();
    sh("ip", "netns", "add", A);
    sh("ip", "netns", "add", B);
    sh(
        "ip", "link", "add", "cn-va", "netns", A, "type", "veth", "peer", "name", "cn-vb", "netns",
        B);
    sh("ip", "-n", A, "addr", "add", "10.77.0.1/24", "dev", "cn-va");
    sh("ip", "-n", B, "addr", "add", "10.77.0.2/24", "dev", "cn-vb");
    for (String[] l : new String[][] {{A, "cn-va"}, {B, "cn-vb"}, {A, "lo"}, {B, "lo"}}) {
      sh("ip", "-n", l[0], "link", "set", l[1], "up");
    }
  }

  @AfterAll
  static void removeNamespaces() throws Exception {
    quiet("ip", "netns", "del", A);
    quiet("ip", "netns", "del", B);
  }

  @Test
  void batchOf64_native() throws Exception {
    batch(UdpSockets.choose("native", null, UdpSockets::trial));
  }

  @Test
  void batchOf64_jdkFallback() throws Exception {
    batch(UdpSockets.choose("jdk", null, () -> null));
  }

  static void batch(UdpSockets s) throws Exception {
    UdpOptions o = new UdpOptions(64, 1500, 1 << 20, 1 << 20);
    UdpBind tx = NetnsThread.in(A, () -> s.open(ADDR_A, 40500, o));
    UdpBind rx = NetnsThread.in(B, () -> s.open(0, 44500, o));
    try (tx;
        rx;
        Poller p = s.poller(List.of(rx))) {
      Datagrams out = new Datagrams(64, 1500);
      for (int i = 0; i < 64; i++) {
        Arrays.fill(out.data[i], 0, 1400, (byte) i);
        out.set(i, 100 + i * 20, ADDR_B, 44500);
      }
      assertEquals(64, tx.send(out, 64));
      Datagrams in = new Datagrams(64, 1500);
      boolean[] seen = new boolean[64];
      int got = 0;
      for (int round = 0; round < 50 && got < 64; round++) {
        if (p.await(100) == 0 || !p.readable(0)) {
          continue;
        }
        int n = rx.receive(in);
        for (int k = 0; k < n; k++) {
          int i = in.data[k][0];
          assertFalse(seen[i]);
          seen[i] = true;
          assertEquals(100 + i * 20, in.length[k]);
          assertEquals(i, in.data[k][in.length[k] - 1]);
          assertEquals("10.77.0.1", Datagrams.text(in.peerAddress[k]));
          assertEquals(40500, in.peerPort[k]);
          if (s.backend() == UdpSockets.Backend.NATIVE) {
            assertEquals("10.77.0.2", Datagrams.text(in.localAddress[k]), "IP_PKTINFO");
          }
        }
        got += n;
      }
      assertEquals(64, got, s.backend().toString());
      // and one datagram back, the single-send path
      assertTrue(rx.send(new byte[] {1, 2, 3}, 0, 3, ADDR_A, 40500));
      try (Poller back = s.poller(List.of(tx))) {
        assertTrue(back.await(2000) > 0);
        assertEquals(1, tx.receive(in));
        assertEquals(3, in.length[0]);
        assertEquals(44500, in.peerPort[0]);
        assertEquals(ADDR_B, in.peerAddress[0]);
      }
    }
  }

  @Test
  void rawEsp_64PacketsBetweenNamespaces_headerStripped() throws Exception {
    UdpSockets s = UdpSockets.choose("native", null, UdpSockets::trial);
    UdpOptions o = new UdpOptions(64, 2000, 1 << 20, 1 << 20);
    UdpBind a = NetnsThread.in(A, () -> s.openRawEsp(ADDR_A, o));
    UdpBind b = NetnsThread.in(B, () -> s.openRawEsp(ADDR_B, o));
    UdpBind udp = NetnsThread.in(A, () -> s.open(ADDR_A, 0, o));
    try (a;
        b;
        udp;
        Poller p = s.poller(List.of(b))) {
      // a UDP datagram to B must not show up on the raw ESP socket
      assertTrue(udp.send(new byte[] {9, 9, 9, 9, 9, 9, 9, 9}, 0, 8, ADDR_B, 4500));
      Datagrams out = new Datagrams(64, 2000);
      for (int i = 0; i < 64; i++) {
        byte[] d = out.data[i];
        d[0] = (byte) 0xc0; // SPI 0xc0ffee00 + i, sequence number i + 1
        d[1] = (byte) 0xff;
        d[2] = (byte) 0xee;
        d[3] = (byte) i;
        d[7] = (byte) (i + 1);
        Arrays.fill(d, 8, 8 + i * 25, (byte) (0x55 ^ i));
        out.set(i, 8 + i * 25, ADDR_B, 0);
      }
      int half = 32;
      for (int i = 0; i < half; i++) {
        assertTrue(a.send(out.data[i], 0, out.length[i], ADDR_B, 0), "single send " + i);
      }
      Datagrams rest = new Datagrams(32, 2000);
      for (int i = 0; i < 32; i++) {
        System.arraycopy(out.data[half + i], 0, rest.data[i], 0, out.length[half + i]);
        rest.set(i, out.length[half + i], ADDR_B, 0);
      }
      assertEquals(32, a.send(rest, 32));
      Datagrams in = new Datagrams(64, 2000);
      int got = 0;
      boolean[] seen = new boolean[64];
      for (int round = 0; round < 50 && got < 64; round++) {
        if (p.await(100) == 0) {
          continue;
        }
        int n = b.receive(in);
        for (int k = 0; k < n; k++) {
          int i = in.data[k][3];
          assertEquals(out.length[i], in.length[k], "ESP starts right after the IPv4 header");
          assertArrayEquals(
              Arrays.copyOf(out.data[i], out.length[i]), Arrays.copyOf(in.data[k], in.length[k]));
          assertEquals("10.77.0.1", Datagrams.text(in.peerAddress[k]));
          assertEquals("10.77.0.2", Datagrams.text(in.localAddress[k]));
          assertEquals(0, in.peerPort[k]);
          assertFalse(seen[i]);
          seen[i] = true;
        }
        got += n;
      }
      assertEquals(64, got);
      assertEquals(0, b.receiveDrops());
      assertEquals(0, p.await(200), "the UDP datagram never reached the raw ESP socket");
    }
  }
}
