package dev.coati.nativeio.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The backend choice and both implementations on loopback (127.0.0.1, ephemeral ports). */
class UdpSocketsTest {
  static final int LOOPBACK = Datagrams.ipv4(new byte[] {127, 0, 0, 1});

  @Test
  void choice_propertyWinsOverEnvironment_andNeverProbesForJdk() {
    AtomicInteger probes = new AtomicInteger();
    UdpSockets s =
        UdpSockets.choose(
            "jdk",
            "native",
            () -> {
              probes.incrementAndGet();
              return null;
            });
    assertEquals(UdpSockets.Backend.JDK, s.backend());
    assertEquals(0, probes.get());
    assertEquals(UdpSockets.Backend.JDK, UdpSockets.choose(null, " JDK ", () -> null).backend());
    assertEquals(UdpSockets.Backend.NATIVE, UdpSockets.choose("", "auto", () -> null).backend());
  }

  @Test
  void choice_autoFallsBackWithTheReason_nativeInsistsWithAnError() {
    UdpSockets s = UdpSockets.choose(null, null, () -> "libc has no recvmmsg");
    assertEquals(UdpSockets.Backend.JDK, s.backend());
    assertTrue(s.reason().contains("libc has no recvmmsg"), s.reason());
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> UdpSockets.choose("native", null, () -> "nope"));
    assertTrue(e.getMessage().contains("nope"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> UdpSockets.choose("dpdk", null, () -> null));
  }

  @Test
  void probe_succeedsOnThisLinuxMachine() {
    assertNull(UdpSockets.trial());
    assertEquals(UdpSockets.Backend.NATIVE, UdpSockets.probe().backend());
  }

  @Test
  void jdkBackend_cannotOpenRawEsp() {
    UdpSockets jdk = UdpSockets.choose("jdk", null, () -> null);
    IOException e =
        assertThrows(IOException.class, () -> jdk.openRawEsp(LOOPBACK, UdpOptions.DEFAULT));
    assertTrue(e.getMessage().contains("raw ESP needs the FFM sockets"), e.getMessage());
  }

  @Test
  void poller_refusesASocketOfTheOtherBackend() throws Exception {
    UdpSockets nat = UdpSockets.choose("native", null, UdpSockets::trial);
    UdpSockets jdk = UdpSockets.choose("jdk", null, () -> null);
    try (UdpBind j = jdk.open(LOOPBACK, 0, UdpOptions.DEFAULT)) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> nat.poller(List.of(j)));
      assertTrue(e.getMessage().contains("not opened by the FFM backend"), e.getMessage());
    }
  }

  @Test
  void bindError_namesAddressPortAndErrno() {
    int notHere = Datagrams.ipv4(new byte[] {(byte) 192, 0, 2, 77});
    for (String backend : List.of("native", "jdk")) {
      UdpSockets s = UdpSockets.choose(backend, null, UdpSockets::trial);
      IOException e =
          assertThrows(IOException.class, () -> s.open(notHere, 500, UdpOptions.DEFAULT));
      String m = e.getMessage();
      assertTrue(m.contains("192.0.2.77:500"), m);
      assertTrue(m.contains("CAP_NET_BIND_SERVICE"), m);
      if (backend.equals("native")) {
        assertTrue(m.contains("errno 99") && m.contains("not configured"), m);
      }
    }
  }

  @Test
  void batchOf64_nativeToJdk_andJdkToNative() throws Exception {
    UdpSockets nat = UdpSockets.choose("native", null, UdpSockets::trial);
    UdpSockets jdk = UdpSockets.choose("jdk", null, () -> null);
    roundTrip(nat, jdk);
    roundTrip(jdk, nat);
    roundTrip(nat, nat);
  }

  static void roundTrip(UdpSockets senders, UdpSockets receivers) throws Exception {
    UdpOptions o = new UdpOptions(64, 2048, 1 << 20, 1 << 20);
    try (UdpBind tx = senders.open(LOOPBACK, 0, o);
        UdpBind rx = receivers.open(0, 0, o);
        Poller p = receivers.poller(List.of(rx))) {
      Datagrams out = new Datagrams(64, 2048);
      for (int i = 0; i < 64; i++) {
        out.data[i][0] = (byte) i;
        out.data[i][1] = (byte) ~i;
        out.set(i, 2 + i * 10, LOOPBACK, rx.localPort());
      }
      assertEquals(64, tx.send(out, 64));
      assertEquals(0, tx.sendDrops());
      Datagrams in = new Datagrams(64, 2048);
      boolean[] seen = new boolean[64];
      int got = 0;
      for (int round = 0; round < 50 && got < 64; round++) {
        if (p.await(100) > 0 && p.readable(0)) {
          int n = rx.receive(in);
          for (int k = 0; k < n; k++) {
            int i = in.data[k][0] & 0xff;
            assertEquals((byte) ~i, in.data[k][1]);
            assertEquals(2 + i * 10, in.length[k]);
            assertEquals(LOOPBACK, in.peerAddress[k]);
            assertEquals(tx.localPort(), in.peerPort[k]);
            if (rx.isNative()) {
              assertEquals(LOOPBACK, in.localAddress[k], "IP_PKTINFO on the wildcard socket");
            }
            assertFalse(seen[i], "duplicate " + i);
            seen[i] = true;
          }
          got += n;
        }
      }
      assertEquals(64, got, senders.backend() + " -> " + receivers.backend());
      assertEquals(0, p.await(0), "nothing more waiting");
    }
  }

  @Test
  void oversizeDatagram_isDroppedAndCounted_notThrown() throws Exception {
    UdpSockets nat = UdpSockets.choose("native", null, UdpSockets::trial);
    UdpOptions o = new UdpOptions(4, 100, 0, 0);
    try (UdpBind tx = nat.open(LOOPBACK, 0, UdpOptions.DEFAULT);
        UdpBind rx = nat.open(LOOPBACK, 0, o);
        Poller p = nat.poller(List.of(rx))) {
      byte[] big = new byte[500];
      assertTrue(tx.send(big, 0, 500, LOOPBACK, rx.localPort()));
      assertTrue(tx.send(big, 0, 50, LOOPBACK, rx.localPort()));
      Datagrams in = new Datagrams(4, 100);
      int got = 0;
      for (int round = 0; round < 20 && got == 0; round++) {
        p.await(100);
        got += rx.receive(in);
      }
      assertEquals(1, got);
      assertEquals(50, in.length[0]);
      assertEquals(1, rx.receiveDrops());
      assertTrue(rx.isNative());
    }
  }
}
