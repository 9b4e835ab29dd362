package dev.coati.server.l2tp;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.ike.PeerAddress;
import dev.coati.pool.LeaseResult;
import dev.coati.ppp.IpcpGrant;
import dev.coati.ppp.PppSession;
import dev.coati.server.auth.FairAuthQueue;
import dev.coati.server.dataplane.DropCounters;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.log.Kv;
import dev.coati.util.Ipv4Address;
import java.util.Optional;

/**
 * One L2TP session and the PPP link it carries (socket thread): frames to the peer in L2TP data
 * messages, credentials checked off-thread, an address leased from the remote-access pool after
 * authentication, and the client's packets into the TUN device only from that address. Whatever
 * ends it (LCP Terminate or echo timeout, CDN, StopCCN, HELLO timeout, the IPsec SA, idle timeout)
 * releases the address exactly once.
 */
final class PppLink implements PppSession.Host {
  private final PppSessions s;
  private final L2tpServer.Tunnel tunnel;
  private final int ourSessionId;
  private final int peerSessionId;
  private final String name;
  private final PppSession ppp;
  private String user;
  private Ipv4Address address;
  private boolean leased;
  private boolean dead;
  private long lastPacket;
  private long started;
  private volatile int mss;
  private long upSince;
  private AuthResult.Session limits = AuthResult.Session.NONE;
  // Single writers: the socket thread counts what the client sends, the TUN thread what it gets.
  private volatile long inOctets;
  private volatile long inPackets;
  private volatile long outOctets;
  private volatile long outPackets;

  PppLink(PppSessions s, L2tpServer.Tunnel tunnel, int ourSessionId, int peerSessionId) {
    this.s = s;
    this.tunnel = tunnel;
    this.ourSessionId = ourSessionId;
    this.peerSessionId = peerSessionId;
    this.name = "l2tp-" + tunnel.tunnel.ourTunnelId() + "/" + ourSessionId;
    this.ppp = new PppSession(s.config, s.random, this);
  }

  void start(long now) {
    lastPacket = now;
    started = now;
    s.log.println(Kv.line(name, "PPP starts").add("peer", tunnel.peer));
    ppp.start(now);
  }

  void receive(byte[] b, int off, int len, long now) {
    if (!dead) {
      ppp.receive(b, off, len, now);
    }
  }

  void tick(long now) {
    if (dead) {
      return;
    }
    if (s.idleMillis > 0 && address != null && now - lastPacket >= s.idleMillis) {
      close("idle timeout", now);
      return;
    }
    ppp.tick(now);
  }

  /**
   * LCP Terminate-Request (kick, shutdown, idle); the link ends when the peer acks or times out.
   */
  void close(String reason, long now) {
    if (!dead) {
      ppp.close(reason, now);
    }
  }

  /** The L2TP session under the link is gone: nothing more can be sent. */
  void dead(String reason) {
    if (!dead) {
      dead = true;
      release(reason);
      ppp.lowerDown(reason); // stops its timers; its down() finds the link dead already
    }
  }

  @Override
  public void transmit(byte[] frame, int off, int len) {
    if (!dead) {
      tunnel.data(peerSessionId, frame, off, len);
    }
  }

  @Override
  public void authenticate(AuthRequest request) {
    String peer = tunnel.peer.toString();
    String source = peer.substring(0, peer.lastIndexOf(':'));
    Runnable check =
        () -> {
          AuthResult r;
          try {
            r = s.auth.authenticate(request, source).toCompletableFuture().join();
          } catch (RuntimeException e) {
            r = AuthResult.failure(request.user(), "authentication error: " + e.getMessage(), 0);
          }
          AuthResult result = r;
          s.engineThread.execute(() -> verdict(result));
        };
    int code =
        request instanceof AuthRequest.MsChapV2 ? AuthResult.ERROR_AUTHENTICATION_FAILURE : 0;
    AuthResult busy = AuthResult.failure(request.user(), "authentication queue full", code);
    s.workers.execute(
        new FairAuthQueue.Keyed(source, check, () -> s.engineThread.execute(() -> verdict(busy))));
  }

  private void verdict(AuthResult r) {
    if (dead) {
      return;
    }
    String peer = tunnel.peer.toString();
    if (!r.success()) {
      s.sessions.events().emit(SessionEvent.authFailed("l2tp", r.user(), peer, r.reason()));
    }
    if (r.success()
        || s.sessions.events().logFailure(peer.substring(0, peer.lastIndexOf(':')), s.log)) {
      s.log.println(
          Kv.line(name, r.success() ? "PPP authentication ok" : "PPP authentication failed")
              .add("user", r.user())
              .add("peer", tunnel.peer)
              .add("reason", r.success() ? null : r.reason()));
    }
    ppp.authenticated(r, s.clock.getAsLong());
  }

  @Override
  public Optional<IpcpGrant> lease(AuthResult result) {
    LeaseResult r =
        s.pool.lease(
            result.user(),
            name,
            result.staticAddress().orElse(null),
            result.maxSessions().orElse(0),
            s.clock.getAsLong());
    if (r instanceof LeaseResult.Refused no) {
      s.log.println(
          Kv.line(name, "no address").add("user", result.user()).add("reason", no.message()));
      return Optional.empty();
    }
    user = result.user();
    limits = result.session();
    leased = true;
    address = ((LeaseResult.Granted) r).lease().address();
    s.log.println(
        Kv.line(name, "address assigned")
            .add("user", user)
            .add("address", address)
            .add("peer", tunnel.peer));
    return Optional.of(new IpcpGrant(s.gateway, address, s.dns, s.nbns));
  }

  @Override
  public void ipPacket(byte[] b, int off, int len) {
    if (address == null
        || len < 20
        || (b[off] & 0xf0) != 0x40
        || source(b, off) != address.value()) {
      s.dataPlane.drops.count(DropCounters.Reason.SPOOFED); // not from the address it was given
      return;
    }
    lastPacket = s.clock.getAsLong();
    inOctets += len;
    inPackets++;
    s.dataPlane.deliver(b, off, len);
  }

  @Override
  public void up(Ipv4Address peerAddress, String who) {
    mss = Math.min(s.maxMss, ppp.peerMru() - 40); // IPv4 + TCP headers inside the peer's MRU
    s.server.route(peerAddress.value(), this);
    upSince = s.clock.getAsLong();
    s.sessions.up(
        SessionEvent.up("l2tp", name, who, tunnel.peer.toString(), peerAddress.toString()),
        limits,
        this::traffic);
    s.log.println(
        Kv.line(name, "PPP up")
            .add("user", who)
            .add("address", peerAddress)
            .add("peer", tunnel.peer));
  }

  @Override
  public void down(String reason) {
    if (dead) {
      return;
    }
    dead = true;
    release(reason);
    tunnel.transmit(tunnel.tunnel.closeSession(ourSessionId, s.clock.getAsLong())); // CDN
  }

  private void release(String reason) {
    if (address != null) {
      s.server.unroute(address.value(), this);
    }
    if (leased) {
      s.pool.release(user, name);
      leased = false;
      s.log.println(
          Kv.line(name, "address released")
              .add("user", user)
              .add("address", address)
              .add("reason", reason));
    }
    if (upSince != 0) {
      s.sessions.down(name, reason);
    }
    if (upSince == 0) { // a session that was up has its "session down" line with the counters
      s.log.println(
          Kv.line(name, "PPP down")
              .add("user", user)
              .add("peer", tunnel.peer)
              .add("address", address)
              .add("reason", reason));
    }
  }

  /** An IP packet of {@code len} bytes went to the client (the TUN thread). */
  void sent(int len) {
    outOctets += len;
    outPackets++;
  }

  /** What the client's IP packets moved (RADIUS's view: in = from the client). */
  Traffic traffic() {
    return new Traffic(inOctets, outOctets, inPackets, outPackets);
  }

  /** The IPv4 source address of the packet at {@code off}, as {@link Ipv4Address#value()}. */
  private static int source(byte[] b, int off) {
    return (b[off + 12] & 0xff) << 24
        | (b[off + 13] & 0xff) << 16
        | (b[off + 14] & 0xff) << 8
        | (b[off + 15] & 0xff);
  }

  int peerTunnelId() {
    return tunnel.tunnel.peerTunnelId();
  }

  int peerSessionId() {
    return peerSessionId;
  }

  PeerAddress peer() {
    return tunnel.peer;
  }

  int port() {
    return tunnel.port;
  }

  int maxMss() {
    return mss;
  }

  String name() {
    return name;
  }

  Optional<String> user() {
    return Optional.ofNullable(user);
  }

  /** What {@code coati status} shows of this session. */
  L2tpServer.SessionView view() {
    return new L2tpServer.SessionView(
        name,
        user,
        address == null ? null : address.toString(),
        tunnel.peer,
        tunnel.tunnel.peerHostName(),
        tunnel.tunnel.peerVendorName(),
        started,
        lastPacket);
  }
}
