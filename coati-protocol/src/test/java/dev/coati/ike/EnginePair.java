package dev.coati.ike;

import dev.coati.crypto.DhFactory;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IdPayload;
import dev.coati.util.RandomSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Two engines wired back to back in memory: our initiator and our responder, a manual clock, and
 * queues in between that tests can inspect, drop from or duplicate (Bouncy Castle's
 * offerInput/readOutput pumping, wireguard-go's ChannelBind).
 */
final class EnginePair {
  static final PeerAddress I_ADDR = PeerAddress.ipv4(10, 99, 0, 2, 500);
  static final PeerAddress R_ADDR = PeerAddress.ipv4(10, 99, 0, 1, 500);

  /** One datagram in flight. */
  record Datagram(PeerAddress from, PeerAddress to, byte[] bytes) {}

  long now = 1_000_000;
  final TestPolicy iPolicy;
  final TestPolicy rPolicy;
  final RecordingListener iEvents = new RecordingListener();
  RecordingListener rEvents = new RecordingListener();
  final ArrayDeque<Datagram> toResponder = new ArrayDeque<>();
  final ArrayDeque<Datagram> toInitiator = new ArrayDeque<>();
  final List<Datagram> wire = new ArrayList<>();
  final IkeEngine initiator;
  IkeEngine responder;

  /** Datagrams matching this are dropped once each (then the predicate is consulted again). */
  Predicate<Datagram> drop = d -> false;

  /** NAT keepalives each engine sent (their destinations). */
  final List<PeerAddress> iKeepalives = new ArrayList<>();

  final List<PeerAddress> rKeepalives = new ArrayList<>();

  private static Outbox outbox(ArrayDeque<Datagram> queue, List<PeerAddress> keepalives) {
    return new Outbox() {
      @Override
      public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
        queue.add(new Datagram(from, to, datagram));
      }

      @Override
      public void keepalive(PeerAddress from, PeerAddress to) {
        keepalives.add(to);
      }
    };
  }

  /** The initiator sits behind a NAT (public address 192.0.2.1, ports 500/4500 -> 61000/61001). */
  boolean natBetween;

  static final PeerAddress NAT_PUBLIC = PeerAddress.ipv4(192, 0, 2, 1, 0);

  EnginePair(String ike, String esp, long seed) {
    iPolicy = new TestPolicy(ike, esp, IdPayload.ipv4(I_ADDR.address()));
    rPolicy = new TestPolicy(ike, esp, IdPayload.ipv4(R_ADDR.address()));
    iPolicy.psks.put("any", "coati-test-psk");
    rPolicy.psks.put("any", "coati-test-psk");
    RandomSource ri = RandomSource.deterministic(seed);
    RandomSource rr = RandomSource.deterministic(seed + 1);
    initiator =
        new IkeEngine(
            new IkeContext(
                () -> now,
                ri,
                DhFactory.using(ri),
                iPolicy,
                outbox(toResponder, iKeepalives),
                iEvents,
                RetransmitPolicy.DEFAULT));
    responder =
        new IkeEngine(
            new IkeContext(
                () -> now,
                rr,
                DhFactory.using(rr),
                rPolicy,
                outbox(toInitiator, rKeepalives),
                rEvents,
                RetransmitPolicy.DEFAULT));
  }

  /**
   * The responder "restarts": a new engine (new random source, same policy, fresh listener) that
   * knows nothing of the old one's SAs; the old engine is dropped.
   */
  IkeEngine restartResponder(long seed) {
    RandomSource rr = RandomSource.deterministic(seed);
    rEvents = new RecordingListener();
    responder =
        new IkeEngine(
            new IkeContext(
                () -> now,
                rr,
                DhFactory.using(rr),
                rPolicy,
                outbox(toInitiator, rKeepalives),
                rEvents,
                RetransmitPolicy.DEFAULT));
    return responder;
  }

  IkeSa connect(ExchangeType mode) {
    return initiator.initiate(I_ADDR, R_ADDR, mode);
  }

  /** Delivers queued datagrams both ways until both queues are empty (bounded). */
  int pump() {
    int delivered = 0;
    for (int round = 0;
        round < 1000 && (!toResponder.isEmpty() || !toInitiator.isEmpty());
        round++) {
      Datagram d = toResponder.poll();
      if (d != null) {
        delivered += deliver(d, responder) ? 1 : 0;
      }
      d = toInitiator.poll();
      if (d != null) {
        delivered += deliver(d, initiator) ? 1 : 0;
      }
    }
    return delivered;
  }

  private boolean deliver(Datagram d, IkeEngine to) {
    wire.add(d);
    if (drop.test(d)) {
      return false;
    }
    Datagram x = natBetween ? translate(d) : d;
    to.receive(x.to(), x.from(), x.bytes());
    return true;
  }

  private static Datagram translate(Datagram d) {
    if (d.to().equals(R_ADDR.withPort(d.to().port()))) {
      // outbound through the NAT: source becomes the public address and a mapped port
      int mapped = d.from().port() == 500 ? 61000 : 61001;
      return new Datagram(NAT_PUBLIC.withPort(mapped), d.to(), d.bytes());
    }
    int inner = d.to().port() == 61000 ? 500 : 4500;
    return new Datagram(d.from(), I_ADDR.withPort(inner), d.bytes());
  }

  /** Advances the clock and runs both engines' timers. */
  void advance(long millis) {
    now += millis;
    initiator.tick();
    responder.tick();
  }

  IkeSa responderSa() {
    return responder.sas().stream().findFirst().orElse(null);
  }
}
