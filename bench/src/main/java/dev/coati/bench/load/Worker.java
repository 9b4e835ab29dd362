package dev.coati.bench.load;

import dev.coati.ike.ChildRequest;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.Outbox;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One thread with its own IKE engine playing a share of the road warriors: starts them at its share
 * of the rate, moves each from phase 1 (main mode + Xauth + mode config pull) to quick mode once it
 * has its address, and keeps them (the engine answers and sends DPD) until told to stop. Sockets:
 * one per client address and port (500, then 4500 after a NAT-T float), all on one selector.
 */
final class Worker implements Runnable {
  private static final int BATCH = 64;

  private final LoadConfig cfg;
  private final List<RoadWarrior> clients;
  private final double rate;
  private final Counters counters;
  private final ClientPolicy policy;
  private final PeerAddress gateway;
  private final TrafficSelector remoteTs;
  private final Selector selector;
  private final IkeEngine engine;
  private final Map<PeerAddress, DatagramChannel> channels = new HashMap<>();
  private final Map<IkeSaView, RoadWarrior> bySa = new IdentityHashMap<>();
  private final ArrayDeque<Runnable> events = new ArrayDeque<>();
  private final ByteBuffer rx = ByteBuffer.allocate(65_536);
  final long[] latenciesNanos;
  int latencyCount;
  volatile boolean stop;

  Worker(
      LoadConfig cfg,
      List<RoadWarrior> clients,
      double rate,
      long seed,
      byte[] psk,
      Counters counters)
      throws IOException {
    this.cfg = cfg;
    this.clients = clients;
    this.rate = rate;
    this.counters = counters;
    this.policy = new ClientPolicy(cfg, psk);
    this.gateway = peer(cfg.gateway(), 500);
    this.remoteTs = selector(cfg.remoteTs());
    this.selector = Selector.open();
    this.latenciesNanos = new long[clients.size()];
    RandomSource random = RandomSource.deterministic(seed);
    long t0 = System.nanoTime();
    this.engine =
        new IkeEngine(
            new IkeContext(
                () -> (System.nanoTime() - t0) / 1_000_000 + 1_000_000,
                random,
                new PooledDh(random),
                policy,
                new SocketOutbox(),
                new Events(),
                RetransmitPolicy.DEFAULT));
  }

  static PeerAddress peer(String address, int port) {
    try {
      return new PeerAddress(InetAddress.getByName(address).getAddress(), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static TrafficSelector selector(String cidr) {
    int slash = cidr.indexOf('/');
    byte[] a = peer(cidr.substring(0, slash), 0).address();
    return TrafficSelector.subnet(a, Integer.parseInt(cidr.substring(slash + 1)), 0, 0);
  }

  @Override
  public void run() {
    long t0 = System.nanoTime();
    long nextTick = t0;
    int next = 0;
    try {
      while (!stop) {
        long now = System.nanoTime();
        for (int n = 0; n < BATCH && next < clients.size() && dueAt(t0, next) <= now; n++) {
          start(clients.get(next++));
        }
        boolean behind = next < clients.size() && dueAt(t0, next) <= System.nanoTime();
        int ready = behind ? selector.selectNow() : selector.select(waitMillis(t0, next));
        if (ready > 0) {
          receiveAll();
        }
        if (System.nanoTime() >= nextTick) {
          nextTick += 1_000_000_000L;
          engine.tick();
          drainEvents();
          checkTimeouts(System.nanoTime());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      closeAll();
    }
  }

  private long dueAt(long t0, int i) {
    return t0 + (long) (i * 1e9 / rate);
  }

  private long waitMillis(long t0, int next) {
    long until = next < clients.size() ? dueAt(t0, next) : System.nanoTime() + 100_000_000L;
    return Math.max(1, Math.min(100, (until - System.nanoTime()) / 1_000_000));
  }

  private void start(RoadWarrior c) {
    policy.current = c;
    c.startedNanos = System.nanoTime();
    c.phase = RoadWarrior.Phase.PHASE1;
    counters.started.increment();
    c.sa =
        engine.initiate(
            new PeerAddress(c.address(), 500), gateway, ExchangeType.IDENTITY_PROTECTION);
    bySa.put(c.sa, c);
    drainEvents();
  }

  private void receiveAll() throws IOException {
    for (SelectionKey key : selector.selectedKeys()) {
      DatagramChannel ch = (DatagramChannel) key.channel();
      Endpoint ep = (Endpoint) key.attachment();
      for (int n = 0; n < BATCH; n++) {
        rx.clear();
        InetSocketAddress from = (InetSocketAddress) ch.receive(rx);
        if (from == null) {
          break;
        }
        rx.flip();
        counters.datagramsIn.increment();
        handle(ep, new PeerAddress(from.getAddress().getAddress(), from.getPort()));
      }
    }
    selector.selectedKeys().clear();
  }

  private void handle(Endpoint ep, PeerAddress from) {
    int skip = 0;
    if (ep.local.port() != 500) {
      if (rx.remaining() < 4 || rx.getInt(0) != 0) {
        return; // a NAT keepalive or ESP in UDP: nothing the handshake needs
      }
      skip = 4;
    }
    byte[] datagram = new byte[rx.remaining() - skip];
    rx.position(skip);
    rx.get(datagram);
    policy.current = ep.client;
    engine.receive(ep.local, from, datagram);
    drainEvents();
    RoadWarrior c = ep.client;
    if (c.phase == RoadWarrior.Phase.PHASE1 && c.sa.virtualAddress().isPresent()) {
      c.phase = RoadWarrior.Phase.QUICK_MODE;
      byte[] vip = c.sa.virtualAddress().get();
      engine.initiateChild(
          c.sa, new ChildRequest(TrafficSelector.host(vip, 0, 0), remoteTs, IpsecAttr.TUNNEL));
      drainEvents();
    }
  }

  private void drainEvents() {
    for (int n = 0; n < 10_000 && !events.isEmpty(); n++) {
      events.poll().run();
    }
  }

  private void checkTimeouts(long now) {
    long limit = cfg.timeoutSeconds() * 1_000_000_000L;
    for (RoadWarrior c : clients) {
      if ((c.phase == RoadWarrior.Phase.PHASE1 || c.phase == RoadWarrior.Phase.QUICK_MODE)
          && now - c.startedNanos > limit) {
        fail(
            c,
            "timeout in "
                + (c.phase == RoadWarrior.Phase.PHASE1 ? phase1Step(c.sa) : "quick mode"));
        engine.delete(c.sa, "load generator: set-up timed out");
        drainEvents();
      }
    }
  }

  private static String phase1Step(IkeSa sa) {
    if (sa.state() != IkeSa.State.ESTABLISHED) {
      return "main mode";
    }
    return sa.user().isPresent() || !sa.awaitsXauth() ? "mode config" : "Xauth";
  }

  private void fail(RoadWarrior c, String reason) {
    if (c.phase == RoadWarrior.Phase.FAILED) {
      return;
    }
    if (c.phase == RoadWarrior.Phase.ESTABLISHED) {
      counters.lostAfterEstablished.increment();
      counters.active.decrementAndGet();
      counters.fail("lost after set-up: " + reason);
    } else {
      counters.fail(reason);
    }
    c.phase = RoadWarrior.Phase.FAILED;
  }

  private void established(RoadWarrior c) {
    if (c.phase != RoadWarrior.Phase.QUICK_MODE) {
      return; // a rekey, or a second child: counted once
    }
    c.phase = RoadWarrior.Phase.ESTABLISHED;
    c.establishedNanos = System.nanoTime();
    latenciesNanos[latencyCount++] = c.establishedNanos - c.startedNanos;
    counters.established.increment();
    counters.active.incrementAndGet();
  }

  /** Deletes every SA politely (the gateway sees Deletes), then closes the sockets. */
  void closeAll() {
    for (RoadWarrior c : clients) {
      if (c.sa != null && c.sa.state() != IkeSa.State.DELETED) {
        policy.current = c;
        engine.delete(c.sa, "load generator done");
      }
    }
    for (DatagramChannel ch : channels.values()) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing: nothing to do
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing
    }
  }

  /** A bound socket and the one client it belongs to. */
  private record Endpoint(PeerAddress local, RoadWarrior client) {}

  private final class SocketOutbox implements Outbox {
    @Override
    public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
      try {
        DatagramChannel ch = channels.get(from);
        if (ch == null) {
          ch = open(from);
        }
        ByteBuffer out;
        if (from.port() == 500) {
          out = ByteBuffer.wrap(datagram);
        } else {
          out = ByteBuffer.allocate(datagram.length + 4).putInt(0).put(datagram).flip();
        }
        ch.send(out, new InetSocketAddress(InetAddress.getByAddress(to.address()), to.port()));
        counters.datagramsOut.increment();
      } catch (IOException e) {
        // a datagram, not a client: the client fails by its timeout if it never gets through
        counters.sendErrors.increment();
      }
    }

    private DatagramChannel open(PeerAddress local) throws IOException {
      DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET);
      ch.bind(new InetSocketAddress(InetAddress.getByAddress(local.address()), local.port()));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ, new Endpoint(local, policy.current));
      channels.put(local, ch);
      return ch;
    }
  }

  /** Engine events, queued: the listener must not call back into the engine synchronously. */
  private final class Events implements IkeListener {
    @Override
    public void childEstablished(IkeSaView sa, ChildSa child) {
      RoadWarrior c = bySa.get(sa);
      if (c != null) {
        events.add(() -> established(c));
      }
    }

    @Override
    public void childFailed(IkeSaView sa, String reason) {
      RoadWarrior c = bySa.get(sa);
      if (c != null) {
        events.add(() -> fail(c, "quick mode: " + reason));
      }
    }

    @Override
    public void ikeDeleted(IkeSaView sa, String reason) {
      RoadWarrior c = bySa.get(sa);
      if (c != null && !stop) {
        events.add(() -> fail(c, "IKE SA deleted: " + reason));
      }
    }
  }
}
