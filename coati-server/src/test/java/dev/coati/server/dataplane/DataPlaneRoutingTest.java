package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.crypto.EspCipher;
import dev.coati.crypto.Secret;
import dev.coati.esp.EspCodec;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.Phase2Transform;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.nativeio.tun.TunDevice;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Outbound routing through the real data plane: the most specific remote selector wins (a road
 * warrior inside a site-to-site subnet), the newest child of one selector wins (rekey), the local
 * selector filters by source, deletions fall back, and idle road warriors are reported.
 */
class DataPlaneRoutingTest {
  static final byte[] GW_LAN = {10, 0, 0, 1};

  /** A TUN without offloads that returns queued reads, then fails (which ends runOutbound). */
  static final class QueueTun implements TunDevice {
    final ArrayDeque<byte[]> reads = new ArrayDeque<>();

    @Override
    public String name() {
      return "sc-fake0";
    }

    @Override
    public int mtu() {
      return 1400;
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
    public void write(byte[] buf, int off, int len) {}

    @Override
    public void close() {}
  }

  static ChildSa child(int spi, TrafficSelector local, TrafficSelector remote) {
    Phase2Transform t =
        new Phase2Transform(
            EspCipher.ESP_AES_GCM_16, 128, null, null, IpsecAttr.UDP_TUNNEL, 3600, 0);
    byte[] key = RandomSource.deterministic(spi).bytes(20);
    return new ChildSa(
        1,
        t,
        spi,
        spi + 0x10000,
        Secret.copyOf(key),
        Secret.copyOf(key),
        local,
        remote,
        3600,
        0,
        0,
        false,
        null);
  }

  static TrafficSelector net(int a, int b, int c, int d, int prefix) {
    return TrafficSelector.subnet(
        new byte[] {(byte) a, (byte) b, (byte) c, (byte) d}, prefix, 0, 0);
  }

  static byte[] ip(byte[] src, int a, int b, int c, int d) {
    byte[] p = new byte[28];
    p[0] = 0x45;
    p[3] = 28;
    p[8] = 64;
    p[9] = 17;
    System.arraycopy(src, 0, p, 12, 4);
    p[16] = (byte) a;
    p[17] = (byte) b;
    p[18] = (byte) c;
    p[19] = (byte) d;
    return p;
  }

  /** The outbound SPI of each ESP packet the data plane sent for {@code packets} (0: none). */
  static List<Integer> route(DataPlane dp, QueueTun tun, byte[]... packets) {
    List<Integer> spis = new ArrayList<>();
    dp.sender((from, to, pkt, len, udp) -> spis.add(EspCodec.spi(pkt, 0)));
    List<Integer> out = new ArrayList<>();
    for (byte[] p : packets) {
      long dropped = dp.drops.get(DropCounters.Reason.NO_ROUTE);
      tun.reads.add(p);
      dp.runOutbound();
      out.add(spis.isEmpty() ? 0 : spis.remove(0));
      assertEquals(
          out.getLast() == 0 ? dropped + 1 : dropped, dp.drops.get(DropCounters.Reason.NO_ROUTE));
    }
    return out;
  }

  @Test
  void mostSpecificSelectorWins_newestOfOneSelectorWins_sourceFilters_deletionsFallBack() {
    QueueTun tun = new QueueTun();
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(1));
    IkeSaView site = new IdleWatchTest.Client("site", null);
    IkeSaView rw = new IdleWatchTest.Client("rw", new byte[] {10, 9, 0, 5});
    TrafficSelector lan = net(10, 0, 0, 0, 24);
    ChildSa s2s = child(0x100, lan, net(10, 9, 0, 0, 16));
    ChildSa s2sOther = child(0x200, net(10, 1, 0, 0, 24), net(10, 9, 0, 0, 16));
    ChildSa host = child(0x300, TrafficSelector.subnet(new byte[4], 0, 0, 0), net(10, 9, 0, 5, 32));
    dp.childEstablished(site, s2s);
    dp.childEstablished(site, s2sOther);
    dp.childEstablished(rw, host);

    byte[] fromLan = GW_LAN;
    byte[] fromOther = {10, 1, 0, 7};
    byte[] fromNowhere = {10, 2, 0, 7};
    assertEquals(
        List.of(0x10300, 0x10100, 0x10200, 0, 0x10300),
        route(
            dp,
            tun,
            ip(fromLan, 10, 9, 0, 5), // the /32 before the /16
            ip(fromLan, 10, 9, 0, 6),
            ip(fromOther, 10, 9, 200, 1), // the local selector picks the child
            ip(fromNowhere, 10, 9, 200, 1),
            ip(fromNowhere, 10, 9, 0, 5)));

    ChildSa rekeyed = child(0x400, lan, net(10, 9, 0, 0, 16));
    dp.childEstablished(site, rekeyed);
    assertEquals(
        List.of(0x10400, 0x10300),
        route(dp, tun, ip(fromLan, 10, 9, 1, 1), ip(fromLan, 10, 9, 0, 5)));
    dp.childDeleted(site, rekeyed);
    dp.childDeleted(rw, host);
    assertEquals(
        List.of(0x10100, 0x10100),
        route(dp, tun, ip(fromLan, 10, 9, 1, 1), ip(fromLan, 10, 9, 0, 5)));
    dp.childDeleted(site, s2s);
    dp.childDeleted(site, s2sOther);
    assertEquals(
        List.of(0, 0), route(dp, tun, ip(fromLan, 10, 9, 1, 1), ip(fromOther, 10, 9, 0, 5)));
  }

  @Test
  void twentyThousandRoadWarriors_eachReachedThroughItsOwnChild_andGoneAfterDeletion() {
    QueueTun tun = new QueueTun();
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(2));
    TrafficSelector any = TrafficSelector.subnet(new byte[4], 0, 0, 0);
    List<ChildSa> children = new ArrayList<>();
    List<IkeSaView> sas = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] vip = {10, 99, (byte) (i >>> 8), (byte) i};
      IkeSaView sa = new IdleWatchTest.Client("rw" + i, vip);
      ChildSa c = child(0x100000 + i, any, TrafficSelector.host(vip, 0, 0));
      dp.childEstablished(sa, c);
      children.add(c);
      sas.add(sa);
    }
    for (int i = 0; i < 20_000; i += 997) {
      assertEquals(
          List.of(0x110000 + i),
          route(dp, tun, ip(GW_LAN, 10, 99, (i >>> 8) & 0xff, i & 0xff)),
          "client " + i);
    }
    for (int i = 0; i < 20_000; i += 2) {
      dp.childDeleted(sas.get(i), children.get(i));
    }
    for (int i = 0; i < 20_000; i += 499) {
      assertEquals(
          List.of(i % 2 == 0 ? 0 : 0x110000 + i),
          route(dp, tun, ip(GW_LAN, 10, 99, (i >>> 8) & 0xff, i & 0xff)),
          "client " + i);
    }
  }

  @Test
  void idleRoadWarriors_areReportedOnce_siteToSitePeersNever() {
    QueueTun tun = new QueueTun();
    DataPlane dp = new DataPlane(tun, RandomSource.deterministic(3));
    List<IkeSaView> idle = new ArrayList<>();
    dp.onIdle(60_000, idle::add);
    IkeSaView site = new IdleWatchTest.Client("site", null);
    IkeSaView rw = new IdleWatchTest.Client("rw", new byte[] {10, 9, 0, 5});
    dp.checkIdle(System.currentTimeMillis());
    long t0 = System.currentTimeMillis();
    dp.childEstablished(site, child(0x100, net(10, 0, 0, 0, 24), net(10, 9, 0, 0, 16)));
    dp.childEstablished(rw, child(0x300, net(10, 0, 0, 0, 24), net(10, 9, 0, 5, 32)));
    dp.checkIdle(t0 + 59_000);
    assertEquals(List.of(), idle);
    dp.checkIdle(t0 + 61_000);
    assertEquals(List.of(rw), idle);
    dp.checkIdle(t0 + 200_000);
    assertEquals(List.of(rw), idle, "once; the site-to-site peer never");
  }
}
