package dev.coati.server.dataplane;

import dev.coati.esp.EspCodec;
import dev.coati.ike.PeerAddress;
import dev.coati.ip.Udp;
import dev.coati.util.RandomSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transport-mode ESP children (L2TP/IPsec): the ESP payload is a bare UDP datagram between the
 * client's L2TP port (1701 or ephemeral: Apple, Android and NetworkManager use any) and our port
 * 1701. Children are grouped by the IKE peer's outer address and port, which tells apart clients
 * behind one NAT even when all of them use inner port 1701; the newest child of a peer carries what
 * we send (a rekeyed SA takes over from the old one without the L2TP tunnel noticing).
 *
 * <p>Inbound (socket thread): only UDP to port 1701 is accepted, anything else counts as {@code
 * NOT_L2TP}; the UDP checksum is not checked (ESP authenticated the datagram, and behind a NAT it
 * was computed over addresses we never saw, RFC 3948 section 3.1.2). Outbound (socket and TUN
 * threads): the UDP header with its RFC 768 checksum, then ESP under the SA's lock, since both
 * threads send through one SA here.
 */
public final class TransportRoutes {
  /** Our L2TP port. */
  public static final int L2TP_PORT = 1701;

  /** Where L2TP datagrams that arrived inside ESP go (the LNS). */
  public interface Receiver {
    /** {@code buf[off, off+len)} is the L2TP message from {@code peer}'s UDP port {@code port}. */
    void l2tp(PeerAddress peer, int port, byte[] buf, int off, int len);

    /** The peer's last transport-mode child SA is gone: its L2TP tunnels cannot send any more. */
    void gone(PeerAddress peer);
  }

  /** A child with the addresses its UDP checksum covers, copied once instead of per packet. */
  private record Leg(DataPlane.Route route, byte[] local, byte[] remote) {
    static Leg of(DataPlane.Route r) {
      byte[] original = r.child().peerOriginalAddress();
      return new Leg(
          r, r.ike().local().address(), original != null ? original : r.peer().address());
    }
  }

  private final Map<PeerAddress, List<Leg>> byPeer = new ConcurrentHashMap<>();
  private final RandomSource random;
  private final DropCounters drops;
  private DataPlane.EspSender sender;
  private Receiver receiver;

  TransportRoutes(RandomSource random, DropCounters drops) {
    this.random = random;
    this.drops = drops;
  }

  void sender(DataPlane.EspSender s) {
    this.sender = s;
  }

  public void receiver(Receiver r) {
    this.receiver = r;
  }

  synchronized void add(DataPlane.Route r) {
    List<Leg> next = new ArrayList<>(byPeer.getOrDefault(r.peer(), List.of()));
    next.add(0, Leg.of(r));
    byPeer.put(r.peer(), List.copyOf(next));
  }

  void remove(DataPlane.Route r) {
    boolean last;
    synchronized (this) {
      List<Leg> list = byPeer.get(r.peer());
      if (list == null || list.stream().noneMatch(x -> x.route() == r)) {
        return;
      }
      List<Leg> next = list.stream().filter(x -> x.route() != r).toList();
      last = next.isEmpty();
      if (last) {
        byPeer.remove(r.peer());
      } else {
        byPeer.put(r.peer(), next);
      }
    }
    if (last && receiver != null) {
      receiver.gone(r.peer());
    }
  }

  /** The decrypted payload of a transport-mode child: UDP to port 1701 goes to the LNS. */
  void inbound(DataPlane.Route r, byte[] b, int off, int len, int nextHeader) {
    int udpLen = Udp.length(b, off, len);
    if (nextHeader != Udp.PROTOCOL
        || udpLen < 0
        || Udp.dstPort(b, off) != L2TP_PORT
        || receiver == null) {
      drops.count(DropCounters.Reason.NOT_L2TP);
      return;
    }
    receiver.l2tp(r.peer(), Udp.srcPort(b, off), b, off + Udp.HEADER, udpLen - Udp.HEADER);
  }

  /**
   * Sends {@code buf[udpOff + 8, udpOff + 8 + len)} from our port 1701 to {@code port} of {@code
   * peer}, through the peer's newest transport child. The 8 bytes at {@code udpOff} are overwritten
   * with the UDP header; {@code out} needs room for the ESP packet. False (and counted) when the
   * peer has no SA any more.
   */
  public boolean send(PeerAddress peer, int port, byte[] buf, int udpOff, int len, byte[] out) {
    List<Leg> list = byPeer.get(peer);
    if (list == null || list.isEmpty()) {
      drops.count(DropCounters.Reason.NO_ROUTE);
      return false;
    }
    Leg leg = list.get(0);
    DataPlane.Route r = leg.route();
    int n = Udp.write(buf, udpOff, len, leg.local(), L2TP_PORT, leg.remote(), port);
    int m;
    synchronized (r.out()) {
      m = EspCodec.encapsulate(r.out(), random, buf, udpOff, n, Udp.PROTOCOL, out, 0);
    }
    if (m < 0) {
      drops.count(EspCodec.Drop.of(m));
      return false;
    }
    sender.send(r.ike().local(), r.ike().peer(), out, m, r.child().transform().udpEncapsulated());
    return true;
  }

  /** A buffer big enough for {@link #send}'s {@code out} with a payload of {@code len}. */
  public static byte[] outBuffer(int len) {
    return new byte[len + Udp.HEADER + 128];
  }

  /** Peers with at least one transport-mode child. */
  public int peers() {
    return byPeer.size();
  }
}
