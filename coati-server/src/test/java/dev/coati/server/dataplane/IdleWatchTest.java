package dev.coati.server.dataplane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.PeerFeature;
import dev.coati.ike.wire.IdPayload;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class IdleWatchTest {
  /** A road warrior's SA view: only what the idle check reads. */
  public record Client(String name, byte[] vip, int method, String xauthUser) implements IkeSaView {
    /** With an address: an Xauth client (no user recorded); without: a plain PSK client. */
    public Client(String name, byte[] vip) {
      this(
          name,
          vip,
          vip != null ? dev.coati.ike.wire.IkeAttr.XAUTH_INIT_PSK : dev.coati.ike.wire.IkeAttr.PSK,
          null);
    }

    @Override
    public int authMethod() {
      return method;
    }

    @Override
    public Optional<String> user() {
      return Optional.ofNullable(xauthUser);
    }

    @Override
    public PeerAddress peer() {
      return PeerAddress.ipv4(10, 97, 0, 2, 4500);
    }

    @Override
    public PeerAddress local() {
      return PeerAddress.ipv4(10, 97, 0, 1, 4500);
    }

    @Override
    public boolean isInitiator() {
      return false;
    }

    @Override
    public Optional<IdPayload> peerId() {
      return Optional.empty();
    }

    @Override
    public Set<PeerFeature> peerFeatures() {
      return Set.of();
    }

    @Override
    public int microsoftVersion() {
      return -1;
    }

    @Override
    public IkeSa.State state() {
      return IkeSa.State.ESTABLISHED;
    }

    @Override
    public Optional<byte[]> virtualAddress() {
      return Optional.ofNullable(vip);
    }
  }

  @Test
  void quietRoadWarrior_reportedOnceAfterTheTimeout_trafficResetsIt() {
    Client client = new Client("rw", new byte[] {10, 99, 99, 10});
    IdleWatch w = new IdleWatch();
    List<IkeSaView> idle = new ArrayList<>();
    IdleWatch.Watch watch = w.track(client, 0, 60_000);
    w.check(0, 60_000, idle::add);
    w.check(30_000, 60_000, idle::add);
    w.check(59_000, 60_000, idle::add);
    w.seen(watch); // a packet in the tick of 59 s
    w.check(100_000, 60_000, idle::add);
    w.check(118_000, 60_000, idle::add);
    assertEquals(List.of(), idle, "traffic at 59 s: idle only from then on");
    w.check(119_000, 60_000, idle::add);
    assertEquals(List.of(client), idle);
    w.check(200_000, 60_000, idle::add);
    w.seen(watch);
    w.check(300_000, 60_000, idle::add);
    assertEquals(1, idle.size(), "reported once");
    assertEquals(0, w.size());
  }

  @Test
  void theWatchEndsWithTheLastChild_andASecondChildKeepsItAlive() {
    Client a = new Client("a", new byte[] {10, 99, 99, 10});
    Client b = new Client("b", new byte[] {10, 99, 99, 11});
    IdleWatch w = new IdleWatch();
    List<IkeSaView> idle = new ArrayList<>();
    IdleWatch.Watch wa = w.track(a, 0, 60_000);
    assertSame(wa, w.track(a, 0, 60_000), "one watch per IKE SA");
    w.untrack(wa);
    IdleWatch.Watch wb = w.track(b, 0, 60_000);
    w.untrack(wb);
    assertEquals(1, w.size());
    w.check(60_000, 60_000, idle::add);
    assertEquals(List.of(a), idle, "b's only child is gone: b is no longer watched");
  }

  @Test
  void twentyThousandClients_eachReportedOnceAtItsOwnTime_withTicksOfOneSecond() {
    IdleWatch w = new IdleWatch();
    List<Client> clients = new ArrayList<>();
    List<IdleWatch.Watch> watches = new ArrayList<>();
    Map<IkeSaView, Long> reportedAt = new IdentityHashMap<>();
    long[] clock = {0};
    for (int i = 0; i < 20_000; i++) {
      Client c = new Client("rw" + i, new byte[] {10, 99, (byte) (i >>> 8), (byte) i});
      clients.add(c);
      watches.add(w.track(c, (i % 30) * 1000L, 60_000));
    }
    for (long t = 0; t <= 300_000; t += 1000) {
      clock[0] = t;
      w.check(t, 60_000, sa -> assertNull(reportedAt.put(sa, clock[0]), "reported twice"));
      for (int i = 0; i < 20_000; i += 3) { // every third client sends until 100 s
        if (t <= 100_000) {
          w.seen(watches.get(i));
        }
      }
    }
    assertEquals(20_000, reportedAt.size());
    for (int i = 0; i < 20_000; i++) {
      long want = i % 3 == 0 ? 160_000 : (i % 30) * 1000L + 60_000;
      assertEquals(want, reportedAt.get(clients.get(i)), "client " + i);
    }
  }
}
