package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.util.HeapMeter;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Heap the data plane holds per installed road-warrior child that has moved a packet each way (both
 * ESP SAs with their JCE ciphers, the route, the idle watch): what comes on top of the engine's
 * share (SessionMemoryTest in coati-protocol). AES-128-CBC + HMAC-SHA1-96, the suite most Xauth
 * clients pick, and AES-128-GCM. {@code -Dcoati.memory.children=N} (default 1000).
 */
class DataPlaneMemoryTest {
  static final int CHILDREN = Integer.getInteger("coati.memory.children", 1000);

  record Suite(EspCipher cipher, EspAuth auth, int keymat) {}

  static ChildSa child(Suite s, int i, byte[] vip) {
    Phase2Transform t =
        new Phase2Transform(s.cipher(), 128, s.auth(), null, IpsecAttr.UDP_TUNNEL, 3600, 0);
    byte[] key = RandomSource.deterministic(i).bytes(s.keymat());
    return new ChildSa(
        1,
        t,
        0x200000 + i,
        0x300000 + i,
        Secret.copyOf(key),
        Secret.copyOf(key),
        TrafficSelector.subnet(new byte[4], 0, 0, 0),
        TrafficSelector.host(vip, 0, 0),
        3600,
        0,
        0,
        false,
        null);
  }

  /** Installs clients [from, to) and moves one packet each way through each. */
  static void install(DataPlane dp, DataPlaneRoutingTest.QueueTun tun, Suite s, int from, int to) {
    byte[] esp = new byte[512];
    byte[] scratch = new byte[65536 + 256];
    for (int i = from; i < to; i++) {
      byte[] vip = {10, 98, (byte) (i >>> 8), (byte) i};
      IkeSaView sa = new IdleWatchTest.Client("rw" + i, vip);
      ChildSa c = child(s, i, vip);
      dp.childEstablished(sa, c);
      EspSa peer =
          new EspSa(c.inboundSpi(), false, s.cipher(), s.auth(), c.inboundKeymat(), 0, 0, 0);
      byte[] inner = DataPlaneRoutingTest.ip(vip, 10, 0, 0, 1);
      int n =
          EspCodec.encapsulate(
              peer, RandomSource.deterministic(i), inner, 0, inner.length, 4, esp, 0);
      dp.inbound(esp, 0, n, scratch);
      tun.reads.add(DataPlaneRoutingTest.ip(new byte[] {10, 0, 0, 1}, 10, 98, vip[2], vip[3]));
      dp.runOutbound();
    }
  }

  @Test
  void aRoadWarriorsChildren_holdLittleHeapInTheDataPlane() throws Exception {
    for (Suite s :
        List.of(
            new Suite(EspCipher.ESP_AES_CBC, EspAuth.HMAC_SHA1_96, 16 + 20),
            new Suite(EspCipher.ESP_AES_GCM_16, null, 16 + 4))) {
      DataPlaneRoutingTest.QueueTun tun = new DataPlaneRoutingTest.QueueTun();
      DataPlane dp = new DataPlane(tun, RandomSource.deterministic(7));
      List<Integer> sent = new ArrayList<>();
      dp.sender((from, to, pkt, len, udp) -> sent.add(len));
      dp.onIdle(600_000, sa -> {});
      install(dp, tun, s, 0, 50);
      long before = HeapMeter.heapAfterGc();
      Map<String, long[]> hist = HeapMeter.histogram();
      install(dp, tun, s, 50, 50 + CHILDREN);
      long after = HeapMeter.heapAfterGc();
      assertEquals(50 + CHILDREN, sent.size(), "one ESP packet out per child: " + dp.drops);
      assertEquals(50 + CHILDREN, dp.inPackets.sum(), "one packet in per child: " + dp.drops);
      long each = (after - before) / CHILDREN;
      System.out.printf(
          "data plane heap per road-warrior child (%s): %d bytes (%.1f KiB), %d children%n",
          s.cipher(), each, each / 1024.0, CHILDREN);
      HeapMeter.printGrowth(hist, HeapMeter.histogram(), CHILDREN);
      assertTrue(each > 0 && each <= 20 * 1024, "per child " + each + " bytes");
    }
  }
}
