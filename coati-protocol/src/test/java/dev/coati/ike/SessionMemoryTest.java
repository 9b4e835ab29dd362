package dev.coati.ike;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.crypto.DhFactory;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.util.HeapMeter;
import dev.coati.util.RandomSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Heap held by the gateway's engine per established road warrior (main mode PSK + Xauth + mode
 * config + one quick mode child, MODP-2048, AES-128/SHA-1): N clients, each its own engine and
 * address, establish through one responder engine; the clients are dropped, and the heap after a
 * full GC is compared with the heap before the N (so one-off costs do not count). Prints the
 * biggest classes of a class histogram. {@code -Dcoati.memory.sessions=N} (default 300).
 */
class SessionMemoryTest {
  static final int SESSIONS = Integer.getInteger("coati.memory.sessions", 300);
  static final PeerAddress GATEWAY = PeerAddress.ipv4(10, 99, 0, 1, 500);

  record Datagram(PeerAddress from, PeerAddress to, byte[] bytes) {}

  long now = 1_000_000;
  final ArrayDeque<Datagram> toGateway = new ArrayDeque<>();
  final ArrayDeque<Datagram> toClient = new ArrayDeque<>();
  int children;

  /** Xauth accepts alice; mode config hands out 10.98.x.y from the client's own address. */
  static final class Gateway implements RemoteAccess {
    @Override
    public CompletionStage<XauthResult> xauth(IkeSaView sa, byte[] user, byte[] password) {
      return CompletableFuture.completedFuture(new XauthResult(true, "alice", "ok"));
    }

    @Override
    public Optional<ClientConfig> clientConfig(IkeSaView sa, String user) {
      byte[] p = sa.peer().address();
      return Optional.of(
          new ClientConfig(
              new byte[] {10, 98, p[2], p[3]},
              32,
              List.of(new byte[] {10, 99, 0, 53}),
              List.of(),
              null,
              null,
              List.of(),
              false,
              List.of(),
              false));
    }

    @Override
    public boolean push(IkeSaView sa) {
      return false;
    }
  }

  private Outbox outbox(ArrayDeque<Datagram> queue) {
    return new Outbox() {
      @Override
      public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
        queue.add(new Datagram(from, to, datagram));
      }

      @Override
      public void keepalive(PeerAddress from, PeerAddress to) {}
    };
  }

  private IkeEngine gateway() {
    TestPolicy p =
        new TestPolicy("aes128-sha1-modp2048", "aes128-sha1", IdPayload.ipv4(GATEWAY.address()));
    p.psks.put("any", "coati-test-psk");
    p.auth = Set.of(IkeAttr.PSK, IkeAttr.XAUTH_INIT_PSK);
    p.remoteAccess = new Gateway();
    RandomSource r = RandomSource.deterministic(1);
    IkeListener counting =
        new IkeListener() {
          @Override
          public void childEstablished(IkeSaView sa, ChildSa child) {
            children++;
          }
        };
    return new IkeEngine(
        new IkeContext(
            () -> now,
            r,
            DhFactory.using(r),
            p,
            outbox(toClient),
            counting,
            RetransmitPolicy.DEFAULT));
  }

  /** One client from 10.97.(i/256).(i%256) through Xauth, mode config and quick mode. */
  private void connect(IkeEngine gw, int i) {
    PeerAddress me = PeerAddress.ipv4(10, 97, (i >>> 8) & 0xff, i & 0xff, 500);
    TestPolicy p =
        new TestPolicy("aes128-sha1-modp2048", "aes128-sha1", IdPayload.ipv4(me.address()));
    p.psks.put("any", "coati-test-psk");
    p.auth = Set.of(IkeAttr.XAUTH_INIT_PSK);
    p.credentials =
        new RemoteAccess.Credentials(
            "alice".getBytes(StandardCharsets.UTF_8), "secret".getBytes(StandardCharsets.UTF_8));
    RandomSource r = RandomSource.deterministic(1000 + i);
    IkeEngine client =
        new IkeEngine(
            new IkeContext(
                () -> now,
                r,
                DhFactory.using(r),
                p,
                outbox(toGateway),
                new IkeListener() {},
                RetransmitPolicy.DEFAULT));
    IkeSa sa = client.initiate(me, GATEWAY, ExchangeType.IDENTITY_PROTECTION);
    pump(gw, client);
    byte[] vip = sa.virtualAddress().orElseThrow();
    client.initiateChild(
        sa,
        new ChildRequest(
            TrafficSelector.host(vip, 0, 0),
            TrafficSelector.subnet(new byte[4], 0, 0, 0),
            IpsecAttr.TUNNEL));
    pump(gw, client);
  }

  private void pump(IkeEngine gw, IkeEngine client) {
    for (int round = 0; round < 1000 && (!toGateway.isEmpty() || !toClient.isEmpty()); round++) {
      Datagram d = toGateway.poll();
      if (d != null) {
        gw.receive(d.to(), d.from(), d.bytes());
      }
      d = toClient.poll();
      if (d != null) {
        client.receive(d.to(), d.from(), d.bytes());
      }
    }
  }

  @Test
  void anEstablishedXauthSession_holdsLittleHeapInTheGatewayEngine() throws Exception {
    IkeEngine gw = gateway();
    int warm = 50;
    for (int i = 0; i < warm; i++) {
      connect(gw, i);
    }
    long before = HeapMeter.heapAfterGc();
    Map<String, long[]> histBefore = HeapMeter.histogram();
    for (int i = warm; i < warm + SESSIONS; i++) {
      connect(gw, i);
    }
    long after = HeapMeter.heapAfterGc();
    assertEquals(warm + SESSIONS, children, "every client has its child");
    assertEquals(warm + SESSIONS, gw.sas().size());
    long perSession = (after - before) / SESSIONS;
    System.out.printf(
        "gateway engine heap per established Xauth session: %d bytes (%.1f KiB), %d sessions%n",
        perSession, perSession / 1024.0, SESSIONS);
    HeapMeter.printGrowth(histBefore, HeapMeter.histogram(), SESSIONS);
    for (int i = 0; i < 20; i++) { // warm-up: the first ticks also compile
      now += 1000;
      gw.tick();
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < 100; i++) {
      now += 1000;
      gw.tick();
    }
    System.out.printf(
        "engine tick over %d established SAs: %.1f us each (after 20 warm-up ticks)%n",
        gw.sas().size(), (System.nanoTime() - t0) / 100 / 1e3);
    assertTrue(perSession > 0, "the sessions are held: " + perSession);
    assertTrue(perSession <= 30 * 1024, "per session " + perSession + " bytes");
  }
}
