package dev.coati.server.dataplane;

import dev.coati.esp.EspCodec;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeSa;
import dev.coati.ike.Outbox;
import dev.coati.ike.PeerAddress;
import dev.coati.nativeio.udp.Datagrams;
import dev.coati.nativeio.udp.Poller;
import dev.coati.nativeio.udp.UdpBind;
import dev.coati.nativeio.udp.UdpOptions;
import dev.coati.nativeio.udp.UdpSockets;
import dev.coati.server.queues.BoundedQueues;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The sockets of the gateway and the thread that owns the IKE engine: on each listen address UDP
 * 500 (IKE), UDP 4500 (RFC 3948: 0xFF keepalive, non-ESP marker + IKE, else ESP-in-UDP) and a raw
 * IP protocol 50 socket (plain ESP, RFC 4303), all {@link UdpBind}s (recvmmsg(2) through FFM, or
 * the JDK fallback). One poll(2) with the timer's timeout waits on all of them; each ready socket
 * is drained in batches. ESP goes to {@link DataPlane#inbound}; ESP leaves raw for child SAs that
 * are not UDP-encapsulated and over 4500 otherwise. Without CAP_NET_RAW the gateway runs UDP-only.
 */
public final class IkeSocketLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger("dev.coati.server");
  private static final long TICK_MILLIS = 200;
  private static final int ROUNDS = 8; // batches per ready socket per wake-up: others get a turn
  private static final UdpOptions OPTIONS = UdpOptions.DEFAULT;

  private enum Kind {
    IKE,
    NAT_T,
    RAW_ESP,
    /** UDP 1701 outside ESP: bound only to drop and count it (seed 003's firewall rule). */
    PLAIN_L2TP
  }

  private record Bound(UdpBind socket, PeerAddress local, Kind kind) {}

  private final UdpSockets sockets = UdpSockets.probe();
  private final List<Bound> bound = new ArrayList<>();
  private final Poller poller;
  private final int natTPort;
  private final int ikePort;
  private final boolean rawEsp;
  private IkeEngine engine;
  private Runnable onTick = () -> {};
  private Runnable onStop = () -> {};
  private static final int POSTED_MAX = 65_536; // a socket thread that far behind is overloaded
  private final ConcurrentLinkedQueue<Runnable> posted = new ConcurrentLinkedQueue<>();
  private final AtomicInteger postedCount = new AtomicInteger();
  private DataPlane dataPlane;
  private InvalidSpiNotifier invalidSpi;
  private final byte[] scratch = new byte[65536 + 256];
  private final EarlyEsp early = new EarlyEsp();
  private final EarlyEsp.Inbound earlyInbound = (p, o, l) -> dataPlane.inbound(p, o, l, scratch);
  private volatile boolean stopping;
  private final LongAdder espDropped = new LongAdder();
  private final LongAdder plainL2tp = new LongAdder();
  private long keepalives;
  private long receiveErrors;
  private long dispatchErrors;

  public IkeSocketLoop(List<String> addresses, int ikePort, int natTPort) throws IOException {
    this(addresses, ikePort, natTPort, 0);
  }

  /**
   * With {@code plainL2tpPort} not 0 (L2TP/IPsec on), that UDP port is bound too, so L2TP sent
   * without IPsec is received, counted ({@code plain_l2tp}) and dropped, never answered.
   */
  public IkeSocketLoop(List<String> addresses, int ikePort, int natTPort, int plainL2tpPort)
      throws IOException {
    this.natTPort = natTPort;
    this.ikePort = ikePort;
    LOG.log(Level.INFO, "sockets: {0} ({1})", sockets.backend(), sockets.reason());
    try {
      for (String a : addresses) {
        int addr = ipv4(a);
        bound.add(open(addr, ikePort, Kind.IKE));
        bound.add(open(addr, natTPort, Kind.NAT_T));
        if (plainL2tpPort != 0) {
          bound.add(open(addr, plainL2tpPort, Kind.PLAIN_L2TP));
        }
      }
      this.rawEsp = openRawEsp(addresses);
      List<UdpBind> all = new ArrayList<>();
      for (Bound b : bound) {
        all.add(b.socket);
      }
      this.poller = sockets.poller(all);
    } catch (IOException | RuntimeException e) {
      closeSockets();
      throw e;
    }
  }

  private Bound open(int addr, int port, Kind kind) throws IOException {
    UdpBind s = sockets.open(addr, port, OPTIONS);
    return new Bound(s, new PeerAddress(Datagrams.ipv4(addr), s.localPort()), kind);
  }

  /** One raw ESP socket per address, or none (one warning) when raw sockets are not allowed. */
  private boolean openRawEsp(List<String> addresses) throws IOException {
    List<Bound> raw = new ArrayList<>();
    try {
      for (String a : addresses) {
        int addr = ipv4(a);
        UdpBind s = sockets.openRawEsp(addr, OPTIONS);
        raw.add(new Bound(s, new PeerAddress(Datagrams.ipv4(addr), 0), Kind.RAW_ESP));
      }
    } catch (IOException e) {
      for (Bound b : raw) {
        b.socket.close();
      }
      LOG.log(
          Level.WARNING,
          "{0}; continuing with ESP over UDP {1} only (UDP encapsulation is forced)",
          e.getMessage(),
          natTPort);
      return false;
    }
    bound.addAll(raw);
    return true;
  }

  private static int ipv4(String a) throws IOException {
    byte[] b = InetAddress.getByName(a).getAddress();
    if (b.length != 4) {
      throw new IOException("listen address " + a + " is not IPv4");
    }
    return Datagrams.ipv4(b);
  }

  /** True if plain ESP (IP protocol 50) can be sent and received. */
  public boolean rawEsp() {
    return rawEsp;
  }

  /** "native" or "jdk": which socket implementation is in use. */
  public String backend() {
    return sockets.backend().name().toLowerCase(Locale.ROOT);
  }

  /** Creates the engine with an outbox that sends through these sockets. */
  public IkeEngine attach(Function<Outbox, IkeEngine> factory) {
    this.engine =
        factory.apply(
            new Outbox() {
              @Override
              public void send(PeerAddress from, PeerAddress to, byte[] datagram) {
                IkeSocketLoop.this.send(from, to, datagram);
              }

              @Override
              public void keepalive(PeerAddress from, PeerAddress to) {
                sendEsp(from, to, new byte[] {(byte) 0xff}, 1, true);
              }
            });
    return engine;
  }

  /** Where inbound ESP goes; ESP leaves through {@link #sendEsp}. */
  public void dataPlane(DataPlane dp) {
    this.dataPlane = dp;
    dp.sender(this::sendEsp);
    this.invalidSpi =
        new InvalidSpiNotifier(this::send, RandomSource.secure(), System::currentTimeMillis);
  }

  /** What answers ESP for unknown SPIs (null without a data plane). */
  public InvalidSpiNotifier invalidSpi() {
    return invalidSpi;
  }

  /**
   * Sends an ESP packet from {@code from}'s address: over UDP 4500 (no non-ESP marker) when {@code
   * udpEncapsulated}, else as IP protocol 50. Thread-safe; failures are counted, not thrown.
   */
  public void sendEsp(
      PeerAddress from, PeerAddress to, byte[] packet, int len, boolean udpEncapsulated) {
    Kind kind = udpEncapsulated || !rawEsp ? Kind.NAT_T : Kind.RAW_ESP;
    Bound b = find(from.ipv4(), kind);
    int dst = to.ipv4();
    if (b == null || !b.socket.send(packet, 0, len, dst, kind == Kind.RAW_ESP ? 0 : to.port())) {
      espDropped.increment();
    }
  }

  private Bound find(int address, Kind kind) {
    for (Bound b : bound) {
      int a = b.socket.localAddress();
      if (b.kind == kind && (a == address || a == 0)) {
        return b;
      }
    }
    return null;
  }

  /** Work to run on the socket thread when stopping, before every SA is deleted. */
  public void onStop(Runnable r) {
    this.onStop = r;
  }

  /** Work to run on the socket thread at every timer tick (after the engine's). */
  public void onTick(Runnable r) {
    this.onTick = r;
  }

  private void send(PeerAddress from, PeerAddress to, byte[] datagram) {
    Kind kind = from.port() == natTPort ? Kind.NAT_T : Kind.IKE;
    Bound b = find(Datagrams.ipv4(from.address()), kind);
    if (b == null) {
      LOG.log(Level.WARNING, "no socket for {0}", from);
      return;
    }
    byte[] out = datagram;
    if (kind == Kind.NAT_T) {
      out = new byte[datagram.length + 4]; // RFC 3948 non-ESP marker: four zero bytes
      System.arraycopy(datagram, 0, out, 4, datagram.length);
    }
    if (!b.socket.send(out, 0, out.length, Datagrams.ipv4(to.address()), to.port())) {
      LOG.log(Level.WARNING, "send to {0} failed (socket buffer full or no route)", to);
    }
  }

  /**
   * Runs {@code r} on the socket thread (the engine's), within one tick (200 ms) at the latest:
   * results of work done elsewhere (Xauth checks) come back this way. At most {@code POSTED_MAX}
   * wait; more are dropped and counted ({@code coati_queue_dropped_total{queue="ike_posted"}}): an
   * Xauth result lost so leaves its IKE SA to its exchange timeout.
   */
  public void post(Runnable r) {
    if (postedCount.incrementAndGet() > POSTED_MAX) {
      postedCount.decrementAndGet();
      BoundedQueues.dropped(BoundedQueues.IKE_POSTED);
      return;
    }
    posted.add(r);
  }

  private void runPosted() {
    Runnable r;
    for (int i = 0; i < 1000 && (r = posted.poll()) != null; i++) {
      postedCount.decrementAndGet();
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "posted work failed: {0}", e.toString());
      }
    }
  }

  /** Runs until {@link #stop()}; then deletes every SA politely and returns. */
  public void run() throws IOException {
    Datagrams batch = new Datagrams(OPTIONS.batch(), OPTIONS.maxDatagram());
    long nextTick = System.currentTimeMillis() + TICK_MILLIS;
    while (!stopping) {
      int ready = poller.await(Math.max(1, nextTick - System.currentTimeMillis()));
      for (int i = 0; ready > 0 && i < bound.size(); i++) {
        if (poller.readable(i)) {
          drain(bound.get(i), batch);
        }
      }
      runPosted();
      if (System.currentTimeMillis() >= nextTick) {
        engine.tick();
        onTick.run();
        nextTick = System.currentTimeMillis() + TICK_MILLIS;
      }
    }
    onStop.run();
    for (IkeSa sa : engine.sas()) {
      engine.delete(sa, "gateway shutting down");
    }
  }

  private void drain(Bound b, Datagrams batch) {
    for (int round = 0; round < ROUNDS; round++) {
      int n;
      try {
        n = b.socket.receive(batch);
      } catch (IOException e) {
        if (receiveErrors++ == 0) {
          LOG.log(Level.WARNING, "receive on {0}: {1} (counted from now on)", b.socket, e);
        }
        return;
      }
      for (int k = 0; k < n; k++) {
        try {
          dispatch(b, batch, k);
        } catch (RuntimeException e) {
          // one malformed datagram or misbehaving peer never stops the loop
          if (dispatchErrors++ == 0) {
            LOG.log(Level.WARNING, "datagram from " + b.socket + " failed (counted)", e);
          }
        }
      }
      if (n < batch.capacity()) {
        return;
      }
    }
  }

  private void dispatch(Bound b, Datagrams batch, int k) {
    byte[] d = batch.data[k];
    int len = batch.length[k];
    if (b.kind == Kind.RAW_ESP) {
      esp(b, batch, k);
      return;
    }
    if (b.kind == Kind.PLAIN_L2TP) {
      plainL2tp.increment();
      if (dataPlane != null) {
        dataPlane.drops.count(DropCounters.Reason.PLAIN_L2TP);
      }
      return;
    }
    if (b.kind == Kind.NAT_T && len == 1 && d[0] == (byte) 0xff) {
      keepalives++;
      return;
    }
    boolean marker = len >= 4 && d[0] == 0 && d[1] == 0 && d[2] == 0 && d[3] == 0;
    if (b.kind == Kind.NAT_T && !marker) {
      esp(b, batch, k);
      return;
    }
    PeerAddress from = new PeerAddress(Datagrams.ipv4(batch.peerAddress[k]), batch.peerPort[k]);
    PeerAddress local = b.local;
    if (b.socket.localAddress() == 0 && batch.localAddress[k] != 0) {
      // wildcard socket: IP_PKTINFO told us the address the peer sent to (NAT-D hashes it)
      local = new PeerAddress(Datagrams.ipv4(batch.localAddress[k]), b.local.port());
    }
    int off = b.kind == Kind.NAT_T ? 4 : 0;
    engine.receive(local, from, Arrays.copyOfRange(d, off, len));
    if (!early.isEmpty() && dataPlane != null) {
      early.replay(earlyInbound, System.nanoTime(), dataPlane.drops); // the answer may have come
    }
  }

  /** ESP for an SPI of a quick mode coati has not finished: kept until its answer installs it. */
  private boolean park(byte[] d, int len) {
    return engine != null
        && engine.spiAllocated(EspCodec.spi(d, 0))
        && early.park(d, 0, len, System.nanoTime(), dataPlane.drops);
  }

  private void esp(Bound b, Datagrams batch, int k) {
    byte[] d = batch.data[k];
    int len = batch.length[k];
    if (dataPlane != null) {
      if (dataPlane.inbound(d, 0, len, scratch) || park(d, len)) {
        return;
      }
      if (invalidSpi != null) {
        boolean udp = b.kind == Kind.NAT_T;
        int local = b.socket.localAddress() != 0 ? b.socket.localAddress() : batch.localAddress[k];
        invalidSpi.unknownSpi(
            EspCodec.spi(d, 0),
            Datagrams.ipv4(batch.peerAddress[k]),
            batch.peerPort[k],
            udp,
            new PeerAddress(Datagrams.ipv4(local), udp ? natTPort : ikePort),
            len);
      }
    } else {
      espDropped.increment(); // no TUN device configured: nowhere to put the traffic
    }
  }

  public void stop() {
    stopping = true; // the loop sees it within one tick (poll times out every 200 ms)
  }

  public long espDropped() {
    return espDropped.sum();
  }

  /** L2TP datagrams that arrived without IPsec (dropped). */
  public long plainL2tpDropped() {
    return plainL2tp.sum();
  }

  private void closeSockets() {
    for (Bound b : bound) {
      b.socket.close();
    }
  }

  @Override
  public void close() {
    closeSockets();
    if (poller != null) {
      poller.close();
    }
  }
}
