package dev.coati.server.l2tp;

import dev.coati.ike.PeerAddress;
import dev.coati.ip.MssClamp;
import dev.coati.l2tp.ControlChannel;
import dev.coati.l2tp.L2tpTunnel;
import dev.coati.l2tp.TunnelSecurity;
import dev.coati.ppp.wire.PppFrame;
import dev.coati.server.dataplane.DropCounters;
import dev.coati.server.dataplane.Egress;
import dev.coati.server.dataplane.TransportRoutes;
import dev.coati.server.log.Kv;
import dev.coati.util.RandomSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The L2TP network server (RFC 2661) of L2TP/IPsec: every L2TP datagram here arrived inside a
 * transport-mode ESP SA ({@link TransportRoutes}); each tunnel is bound to the IKE peer (outer
 * address and port) whose SA brought its SCCRQ, and a message for that tunnel from anyone else is
 * dropped, so any number of clients behind one NAT, all on inner port 1701, each have their own.
 * Each session runs a {@link PppLink}. Runs on the socket thread, except {@link #send(byte[], int,
 * int)}, which the TUN thread calls for packets towards a PPP client's address.
 */
public final class L2tpServer implements TransportRoutes.Receiver, Egress {
  private static final int T_BIT = 0x8000;
  private static final int L_BIT = 0x4000;
  private static final int S_BIT = 0x0800;
  private static final int O_BIT = 0x0200;

  /** One tunnel and where it lives. */
  final class Tunnel implements L2tpTunnel.Events {
    final PeerAddress peer;
    final int port;
    final Map<Integer, PppLink> links = new HashMap<>();
    L2tpTunnel tunnel;

    Tunnel(PeerAddress peer, int port) {
      this.peer = peer;
      this.port = port;
    }

    @Override
    public void sessionUp(int ourSessionId, int peerSessionId) {
      PppLink link = links.get(ourSessionId);
      if (link == null) {
        link = sessions.create(this, ourSessionId, peerSessionId);
        links.put(ourSessionId, link);
        link.start(clock.getAsLong());
      }
    }

    @Override
    public void sessionDown(int ourSessionId, String reason) {
      PppLink link = links.remove(ourSessionId);
      if (link != null) {
        link.dead("L2TP session ended: " + reason);
      }
    }

    @Override
    public void tunnelDown(String reason) {
      for (PppLink l : List.copyOf(links.values())) {
        l.dead("L2TP tunnel closed: " + reason);
      }
      links.clear();
      log.println(
          Kv.line("l2tp[" + tunnel.ourTunnelId() + "]", "tunnel down")
              .add("peer", peer)
              .add("reason", reason));
    }

    void transmit(List<byte[]> messages) {
      for (byte[] m : messages) {
        byte[] buf = new byte[8 + m.length];
        System.arraycopy(m, 0, buf, 8, m.length);
        transport.send(peer, port, buf, 0, m.length, TransportRoutes.outBuffer(m.length));
      }
    }

    /** A PPP frame to the peer in an L2TP data message (no length, sequence or offset). */
    void data(int peerSessionId, byte[] frame, int off, int len) {
      byte[] buf = new byte[8 + 6 + len];
      writeDataHeader(buf, 8, tunnel.peerTunnelId(), peerSessionId);
      System.arraycopy(frame, off, buf, 14, len);
      transport.send(peer, port, buf, 0, 6 + len, TransportRoutes.outBuffer(6 + len));
    }
  }

  private final Map<Integer, Tunnel> tunnels = new HashMap<>();
  private final Map<Integer, PppLink> byAddress = new ConcurrentHashMap<>();
  private final TransportRoutes transport;
  private final DropCounters drops;
  private final RandomSource random;
  private final LongSupplier clock;
  private final PrintStream log;
  private final String hostName;
  private final long helloMillis;
  private final TunnelSecurity security;
  private PppSessions sessions;
  private Consumer<PeerAddress> deadPeer = p -> {};
  private final int[] ids = new int[2]; // tunnel and session of the data message at hand
  private final byte[] egressBuf = new byte[65536 + 32];
  private final byte[] egressOut = TransportRoutes.outBuffer(65536 + 32);

  public L2tpServer(
      TransportRoutes transport,
      DropCounters drops,
      RandomSource random,
      LongSupplier clock,
      String hostName,
      long helloMillis,
      TunnelSecurity security,
      PrintStream log) {
    this.transport = transport;
    this.drops = drops;
    this.random = random;
    this.clock = clock;
    this.hostName = hostName;
    this.helloMillis = helloMillis;
    this.security = security;
    this.log = log;
  }

  /** Makes the PPP side of each session (set once, before traffic). */
  public void sessions(PppSessions s) {
    this.sessions = s;
  }

  @Override
  public void l2tp(PeerAddress peer, int port, byte[] buf, int off, int len) {
    long span = dataPayload(buf, off, len, ids);
    if (span < 0 || (buf[off + 1] & 0x0f) != 2) {
      drops.count(DropCounters.Reason.L2TP_DROPPED); // truncated, or not L2TPv2
      return;
    }
    long now = clock.getAsLong();
    if ((u16(buf, off) & T_BIT) != 0) {
      control(peer, port, ids[0], Arrays.copyOfRange(buf, off, off + len), now);
      return;
    }
    Tunnel t = tunnels.get(ids[0]);
    PppLink link = t == null || !t.peer.equals(peer) ? null : t.links.get(ids[1]);
    if (link == null) {
      drops.count(DropCounters.Reason.L2TP_DROPPED);
      return;
    }
    link.receive(buf, (int) (span >>> 32), (int) span, now);
  }

  /**
   * Parses the L2TP header at {@code buf[off, off+len)} (RFC 2661 section 3.1: the optional Length,
   * Ns/Nr and Offset fields, control or data): tunnel and session id into {@code ids}; returns the
   * payload's offset (high 32 bits) and length (low 32 bits), or -1 if the header does not fit.
   */
  static long dataPayload(byte[] buf, int off, int len, int[] ids) {
    if (len < 6) {
      return -1;
    }
    int flags = u16(buf, off);
    boolean hasLength = (flags & L_BIT) != 0;
    int at = off + (hasLength ? 4 : 2);
    if (at + 4 > off + len) {
      return -1;
    }
    ids[0] = u16(buf, at);
    ids[1] = u16(buf, at + 2);
    at += 4;
    if ((flags & S_BIT) != 0) {
      at += 4;
    }
    if ((flags & O_BIT) != 0) {
      if (at + 2 > off + len) {
        return -1;
      }
      at += 2 + u16(buf, at);
    }
    int end = hasLength ? off + u16(buf, off + 2) : off + len;
    if (at > end || end > off + len) {
      return -1;
    }
    return ((long) at << 32) | (end - at);
  }

  private void control(PeerAddress peer, int port, int tunnelId, byte[] message, long now) {
    Tunnel t = tunnelId == 0 ? waitingFrom(peer, port) : tunnels.get(tunnelId);
    if (t != null && !t.peer.equals(peer)) {
      drops.count(DropCounters.Reason.L2TP_DROPPED); // another client's tunnel id: never theirs
      return;
    }
    if (t == null) {
      if (tunnelId != 0) {
        drops.count(DropCounters.Reason.L2TP_DROPPED);
        return;
      }
      t = open(peer, port);
    }
    t.transmit(t.tunnel.receive(message, now));
    if (t.tunnel.state() == L2tpTunnel.State.IDLE) {
      tunnels.remove(t.tunnel.ourTunnelId()); // not an SCCRQ: nothing was set up
    }
  }

  /** A tunnel of this peer still waiting for its SCCCN: a retransmitted SCCRQ belongs to it. */
  private Tunnel waitingFrom(PeerAddress peer, int port) {
    for (Tunnel t : tunnels.values()) {
      if (t.peer.equals(peer)
          && t.port == port
          && t.tunnel.state() == L2tpTunnel.State.WAIT_CTL_CONN) {
        return t;
      }
    }
    return null;
  }

  private Tunnel open(PeerAddress peer, int port) {
    int id;
    do {
      id = (random.nextInt() & 0xffff);
    } while (id == 0 || tunnels.containsKey(id));
    Tunnel t = new Tunnel(peer, port);
    t.tunnel =
        new L2tpTunnel(id, hostName, t, helloMillis, ControlChannel.Config.DEFAULT, security);
    tunnels.put(id, t);
    return t;
  }

  @Override
  public void gone(PeerAddress peer) {
    for (Tunnel t : List.copyOf(tunnels.values())) {
      if (t.peer.equals(peer)) {
        t.tunnel.close("its IPsec SA is gone", clock.getAsLong()); // nothing can be sent
        tunnels.remove(t.tunnel.ourTunnelId());
      }
    }
  }

  /**
   * Told the IKE peer of a tunnel that stopped answering (its control messages were retransmitted
   * in vain) when it has no other tunnel: clients without DPD (Windows, iOS) leave their SA behind.
   */
  public void onDeadPeer(Consumer<PeerAddress> c) {
    this.deadPeer = c;
  }

  /** Timers: L2TP retransmissions and HELLOs, PPP restart timers and LCP echoes, idle checks. */
  public void tick(long now) {
    for (Tunnel t : List.copyOf(tunnels.values())) {
      boolean open = t.tunnel.state() != L2tpTunnel.State.CLOSED;
      t.transmit(t.tunnel.tick(now));
      for (PppLink l : List.copyOf(t.links.values())) {
        l.tick(now);
      }
      if (t.tunnel.state() == L2tpTunnel.State.CLOSED) {
        tunnels.remove(t.tunnel.ourTunnelId());
        if (open && tunnels.values().stream().noneMatch(o -> o.peer.equals(t.peer))) {
          deadPeer.accept(t.peer); // the tunnel timed out: the client is gone
        }
      }
    }
  }

  /** StopCCN to every tunnel (gateway shutting down), while the IPsec SAs still exist. */
  public void closeAll(String reason) {
    long now = clock.getAsLong();
    for (Tunnel t : List.copyOf(tunnels.values())) {
      endLinks(t, reason, now);
      t.transmit(t.tunnel.close(reason, now));
    }
    tunnels.clear();
  }

  /**
   * LCP Terminate-Request to each session of {@code t} (the client learns why), then each ends at
   * once for {@code reason}: the StopCCN that follows takes the tunnel down.
   */
  private static void endLinks(Tunnel t, String reason, long now) {
    for (PppLink l : List.copyOf(t.links.values())) {
      l.close(reason, now);
      l.dead(reason);
    }
  }

  /** PPP is up: packets to {@code address} go to this link. */
  void route(int address, PppLink link) {
    byAddress.put(address, link);
  }

  void unroute(int address, PppLink link) {
    byAddress.remove(address, link);
  }

  /** The TUN thread: an IP packet to a PPP client's address, framed and sent through its SA. */
  @Override
  public int send(byte[] p, int off, int len) {
    PppLink link = byAddress.get(u32(p, off + 16));
    if (link == null || len > egressBuf.length - 18) {
      return NO_DESTINATION;
    }
    writeDataHeader(egressBuf, 8, link.peerTunnelId(), link.peerSessionId());
    int h = PppFrame.writeIpv4Header(egressBuf, 14);
    System.arraycopy(p, off, egressBuf, 14 + h, len);
    MssClamp.clamp(egressBuf, 14 + h, len, link.maxMss());
    if (!transport.send(link.peer(), link.port(), egressBuf, 0, 6 + h + len, egressOut)) {
      return DROPPED; // counted by the transport
    }
    link.sent(len);
    return SENT;
  }

  public int tunnelCount() {
    return tunnels.size();
  }

  public int sessionCount() {
    int n = 0;
    for (Tunnel t : tunnels.values()) {
      n += t.links.size();
    }
    return n;
  }

  /**
   * An L2TP/PPP session as {@code coati status} shows it: the user and address once PPP
   * authenticated, the peer (the IPsec SA's address), the Host Name and Vendor Name AVPs of its
   * SCCRQ (null if absent), when it started and when its last IP packet arrived.
   */
  public record SessionView(
      String name,
      String user,
      String address,
      PeerAddress peer,
      String hostName,
      String vendorName,
      long since,
      long lastPacket) {}

  /** Every session now (socket thread). */
  public List<SessionView> sessionViews() {
    return links().stream().map(PppLink::view).toList();
  }

  /**
   * Ends the tunnel that carries session {@code name} with StopCCN (an operator's kick): its
   * sessions end and their addresses are released. False if there is no such session.
   */
  public boolean closeTunnelOf(String name, String reason) {
    for (Tunnel t : List.copyOf(tunnels.values())) {
      if (t.links.values().stream().anyMatch(l -> l.name().equals(name))) {
        long now = clock.getAsLong();
        endLinks(t, reason, now);
        t.transmit(t.tunnel.close(reason, now));
        tunnels.remove(t.tunnel.ourTunnelId());
        return true;
      }
    }
    return false;
  }

  public List<PppLink> links() {
    List<PppLink> out = new ArrayList<>();
    for (Tunnel t : tunnels.values()) {
      out.addAll(t.links.values());
    }
    return out;
  }

  static void writeDataHeader(byte[] b, int off, int tunnelId, int sessionId) {
    b[off] = 0;
    b[off + 1] = 2; // version 2, no T, L, S or O bit
    b[off + 2] = (byte) (tunnelId >> 8);
    b[off + 3] = (byte) tunnelId;
    b[off + 4] = (byte) (sessionId >> 8);
    b[off + 5] = (byte) sessionId;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  private static int u32(byte[] b, int off) {
    return (u16(b, off) << 16) | u16(b, off + 2);
  }
}
