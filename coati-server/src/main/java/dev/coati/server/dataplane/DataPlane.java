package dev.coati.server.dataplane;

import dev.coati.esp.EspCodec;
import dev.coati.esp.EspSa;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.TrafficSelector;
import dev.coati.ip.MssClamp;
import dev.coati.ip.TcpSegmenter;
import dev.coati.ip.VirtioNetHdr;
import dev.coati.nativeio.tun.TunDevice;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * Tunnel-mode ESP between the UDP 4500 socket and the TUN device (wireguard-go's pipeline, batch 1
 * for now). Inbound (socket thread): SPI lookup, replay check, ICV, decryption, then the inner
 * source must lie inside the SA's remote selector, TCP MSS clamped, then TUN. Outbound (TUN
 * thread): selector lookup (destination in the remote, source in the local selector), MSS clamp,
 * encryption, UDP 4500. Bad packets are counted and dropped, never logged one by one.
 * Transport-mode children (L2TP/IPsec) go to {@link TransportRoutes} instead: their payload is L2TP
 * for the LNS, whose PPP sessions hand IP packets back through {@link #deliver} and take the TUN
 * packets no tunnel-mode child covers through an {@link Egress}.
 *
 * <p>On a TUN device with offloads ({@link TunDevice#vnetHeaderLength()} not 0) every read starts
 * with a virtio_net_hdr: {@link TcpSegmenter} completes left-over checksums and cuts TCP
 * super-packets into MTU-sized segments, each then routed and encrypted on its own (a segment of a
 * super-packet is never a SYN, so only plain packets go through the MSS clamp); inbound packets are
 * written behind an all-zero header.
 */
public final class DataPlane implements IkeListener {
  private static final System.Logger LOG = System.getLogger("dev.coati.server");

  /** One installed child SA: both directions and where the peer is. */
  record Route(
      IkeSaView ike,
      ChildSa child,
      EspSa in,
      EspSa out,
      TrafficSelector remote,
      PeerAddress peer,
      int fragmentSize,
      IdleWatch.Watch watch) {
    Route(
        IkeSaView ike, ChildSa child, EspSa in, EspSa out, TrafficSelector remote, PeerAddress p) {
      this(ike, child, in, out, remote, p, 0, null);
    }

    /** Whether it carries packets from the TUN (tunnel mode; transport mode carries L2TP). */
    boolean tunnel() {
      return child.transform().tunnel();
    }
  }

  /**
   * Sends an ESP packet to a peer from the local address of the IKE SA: over UDP 4500 if the child
   * SA is UDP-encapsulated (RFC 3948), else as IP protocol 50.
   */
  public interface EspSender {
    void send(PeerAddress from, PeerAddress to, byte[] packet, int len, boolean udpEncapsulated);
  }

  private final TunDevice tun;
  private final RandomSource random;
  private final IntBuckets<Route> bySpi = new IntBuckets<>(); // inbound SPI: no boxing
  private final Map<IkeSaView, Traffic> retired = new ConcurrentHashMap<>();
  private final OutboundRoutes outboundRoutes = new OutboundRoutes();
  private EspSender sender;
  private final TransportRoutes transport;
  private volatile Egress egress;
  private final byte[] tunOut;
  private Consumer<IkeSaView> trafficHook = sa -> {};
  private VolumeListener volumeHook = (sa, child, hard) -> {};
  private final IdleWatch idleWatch = new IdleWatch();
  private long idleMillis;
  private Consumer<IkeSaView> idleHook = sa -> {};
  private final int[] nextHeader = new int[1];
  private final InnerFragmentation fragmentation;
  private final InnerFragmentation.Seal sealer = this::seal;
  private volatile ToIntFunction<IkeSaView> fragmentSizes = sa -> 0;
  public final DropCounters drops = new DropCounters();
  public final LongAdder inPackets = new LongAdder();
  public final LongAdder outPackets = new LongAdder();
  public final LongAdder inBytes = new LongAdder();
  public final LongAdder outBytes = new LongAdder();

  /** ESP bytes and packets of one installed child, each direction (for {@code coati status}). */
  public record ChildTraffic(long bytesIn, long packetsIn, long bytesOut, long packetsOut) {}

  /** The traffic of {@code child}, or null if it is not installed here. */
  public ChildTraffic traffic(ChildSa child) {
    Route r = bySpi.value(child.inboundSpi());
    return r == null
        ? null
        : new ChildTraffic(r.in().bytes(), r.in().packets(), r.out().bytes(), r.out().packets());
  }

  /**
   * What the children of a road warrior's IKE SA moved, both those installed now and those deleted
   * (rekeyed) before, for accounting ({@code in}: from the client). Socket thread.
   */
  public Traffic sessionTraffic(IkeSaView sa) {
    return retiredTraffic(sa).plus(liveTraffic(sa));
  }

  /** What the children installed now of {@code sa} moved (none once they moved to an heir). */
  public Traffic liveTraffic(IkeSaView sa) {
    Traffic t = Traffic.ZERO;
    if (sa instanceof IkeSa s) {
      for (ChildSa c : s.children()) {
        Route r = bySpi.value(c.inboundSpi());
        if (r != null) {
          t = t.plus(traffic(r));
        }
      }
    }
    return t;
  }

  /** What the deleted children of {@code sa} moved (see {@link #sessionTraffic}). */
  public Traffic retiredTraffic(IkeSaView sa) {
    return retired.getOrDefault(sa, Traffic.ZERO);
  }

  /** {@code sa}'s session was accounted for: its deleted children's counts go. */
  public void forget(IkeSaView sa) {
    retired.remove(sa);
  }

  private static Traffic traffic(Route r) {
    return new Traffic(r.in().bytes(), r.out().bytes(), r.in().packets(), r.out().packets());
  }

  /** Told when a child's traffic passes its soft or hard kilobyte lifetime. */
  public interface VolumeListener {
    void reached(IkeSaView sa, ChildSa child, boolean hard);
  }

  public DataPlane(TunDevice tun, RandomSource random) {
    this.tun = tun;
    this.random = random;
    this.transport = new TransportRoutes(random, drops);
    this.tunOut = new byte[TcpSegmenter.MAX_PACKET + 16];
    this.fragmentation = new InnerFragmentation(tun, drops);
  }

  /** ESP fragmentation: the inner packet size for each new child's IKE SA (0: none). */
  public void fragmentation(ToIntFunction<IkeSaView> sizes) {
    this.fragmentSizes = sizes;
  }

  public void sender(EspSender s) {
    this.sender = s;
    transport.sender(s);
  }

  /** Transport-mode children (L2TP/IPsec). */
  public TransportRoutes transport() {
    return transport;
  }

  public void egress(Egress e) {
    this.egress = e;
  }

  /**
   * An IP packet that arrived over PPP (socket thread; the LNS checked its source): TCP MSS
   * clamped, written to the TUN device.
   */
  public void deliver(byte[] p, int off, int len) {
    int h = tun.vnetHeaderLength();
    System.arraycopy(p, off, tunOut, h, len);
    MssClamp.clamp(tunOut, h, len, maxMss());
    if (h != 0) {
      VirtioNetHdr.writePlain(tunOut, 0);
    }
    try {
      tun.write(tunOut, 0, h + len);
      inPackets.increment();
      inBytes.add(len);
    } catch (IOException e) {
      drops.count(DropCounters.Reason.TUN_WRITE);
    }
  }

  @Override
  public synchronized void childEstablished(IkeSaView sa, ChildSa child) {
    long now = System.currentTimeMillis();
    var t = child.transform();
    EspSa in =
        new EspSa(
            child.inboundSpi(),
            true,
            t.cipher(),
            t.auth(),
            child.inboundKeymat(),
            now,
            child.lifeSeconds(),
            child.lifeKilobytes());
    EspSa out =
        new EspSa(
            child.outboundSpi(),
            false,
            t.cipher(),
            t.auth(),
            child.outboundKeymat(),
            now,
            child.lifeSeconds(),
            child.lifeKilobytes());
    EspSa.link(in, out);
    IdleWatch.Watch watch =
        t.tunnel() && idleMillis > 0 && sa.virtualAddress().isPresent()
            ? idleWatch.track(sa, now, idleMillis)
            : null;
    Route r =
        new Route(
            sa, child, in, out, child.remote(), sa.peer(), fragmentSizes.applyAsInt(sa), watch);
    uninstall(bySpi.put(child.inboundSpi(), r));
    if (!t.tunnel()) {
      transport.add(r); // L2TP/IPsec: the LNS owns what the child carries
      LOG.log(Level.DEBUG, "{0} ESP {1} installed (L2TP)", sa.name(), child);
      return;
    }
    if (!outboundRoutes.add(r)) {
      LOG.log(
          Level.WARNING, "{0} ESP {1}: remote selector is not IPv4, no route", sa.name(), child);
      return;
    }
    LOG.log(Level.DEBUG, "{0} ESP {1} installed", sa.name(), child);
  }

  /** Removes a route from the outbound or the transport table (null: nothing). */
  private void uninstall(Route r) {
    if (r == null) {
      return;
    }
    if (!r.tunnel()) {
      transport.remove(r);
      return;
    }
    outboundRoutes.remove(r);
    if (r.watch() != null) {
      idleWatch.untrack(r.watch());
    }
  }

  @Override
  public synchronized void childDeleted(IkeSaView sa, ChildSa child) {
    Route gone = bySpi.removeAll(child.inboundSpi());
    uninstall(gone);
    if (gone != null && sa.virtualAddress().isPresent()) {
      retired.merge(sa, traffic(gone), Traffic::plus); // RA forgets it
    }
  }

  /**
   * Called for each ESP-in-UDP datagram (marker already classified) on the socket thread; false
   * when its SPI is unknown (the caller may tell the sender), true when it was handled or dropped
   * for another reason.
   */
  public boolean inbound(byte[] pkt, int off, int len, byte[] scratch) {
    if (len < EspCodec.HEADER) {
      drops.count(DropCounters.Reason.MALFORMED);
      return true;
    }
    Route r = bySpi.value(EspCodec.spi(pkt, off));
    if (r == null) {
      drops.count(DropCounters.Reason.UNKNOWN_SPI);
      return false;
    }
    int h = tun.vnetHeaderLength(); // the inner packet goes behind room for the virtio_net_hdr
    int n = EspCodec.decapsulate(r.in(), pkt, off, len, scratch, h, nextHeader);
    if (n < 0) {
      drops.count(EspCodec.Drop.of(n));
      return true;
    }
    if (!r.child().transform().tunnel()) {
      trafficHook.accept(r.ike());
      transport.inbound(r, scratch, h, n, nextHeader[0]);
      return true;
    }
    if (nextHeader[0] != EspCodec.NEXT_IPV4 || n < 20 || (scratch[h] & 0xf0) != 0x40) {
      drops.count(DropCounters.Reason.MALFORMED);
      return true;
    }
    if (!r.remote().containsIpv4(scratch, h + 12)) {
      drops.count(DropCounters.Reason.SPOOFED); // inner source outside what the peer negotiated
      return true;
    }
    trafficHook.accept(r.ike());
    if (r.watch() != null) {
      idleWatch.seen(r.watch());
    }
    MssClamp.clamp(scratch, h, n, maxMss(r));
    if (h != 0) {
      VirtioNetHdr.writePlain(scratch, 0);
    }
    try {
      tun.write(scratch, 0, h + n);
      inPackets.increment();
      inBytes.add(n);
    } catch (IOException e) {
      drops.count(DropCounters.Reason.TUN_WRITE);
    }
    return true;
  }

  /**
   * Kilobyte lifetimes (socket thread, every tick): a direction past its soft volume asks for a
   * rekey, past its hard volume for the child's deletion. Only children with a kilobyte lifetime
   * are looked at.
   */
  public void checkVolumes() {
    for (Route r : outboundRoutes.volumeLimited()) {
      EspSa.Lifetime in = r.in().volume();
      EspSa.Lifetime out = r.out().volume();
      if (in == EspSa.Lifetime.HARD || out == EspSa.Lifetime.HARD) {
        volumeHook.reached(r.ike(), r.child(), true);
      } else if (in == EspSa.Lifetime.SOFT || out == EspSa.Lifetime.SOFT) {
        volumeHook.reached(r.ike(), r.child(), false);
      }
    }
  }

  public void onVolume(VolumeListener l) {
    this.volumeHook = l;
  }

  /**
   * Road warriors whose children received nothing for {@code idleMillis} (0: never) are handed to
   * {@code idle} (the server deletes the SA, which releases the address).
   */
  public void onIdle(long idleMillis, Consumer<IkeSaView> idle) {
    this.idleMillis = idleMillis;
    this.idleHook = idle;
  }

  /** Idle timeouts (socket thread, every tick). */
  public void checkIdle(long now) {
    if (idleMillis > 0) {
      idleWatch.check(now, idleMillis, idleHook);
    }
  }

  /** The TUN reader: runs until the device closes. */
  public void runOutbound() {
    int h = tun.vnetHeaderLength();
    byte[] buf = new byte[TcpSegmenter.MAX_PACKET + 1 + h];
    byte[] segment = h == 0 ? buf : new byte[TcpSegmenter.MAX_PACKET];
    byte[] out = new byte[TcpSegmenter.MAX_PACKET + 256];
    TcpSegmenter segmenter = new TcpSegmenter();
    while (true) {
      int n;
      try {
        n = tun.read(buf, 0, buf.length);
      } catch (IOException e) {
        return;
      }
      if (h == 0) {
        outbound(buf, 0, n, true, out);
        continue;
      }
      int segments = segmenter.load(buf, 0, n);
      if (segments < 0) {
        drops.count(DropCounters.Reason.BAD_OFFLOAD);
      } else if (!segmenter.gso()) {
        outbound(buf, segmenter.packetOffset(), segmenter.packetLength(), true, out);
      } else {
        for (int i = 0; i < segments; i++) {
          outbound(segment, 0, segmenter.segment(i, segment, 0), false, out);
        }
      }
    }
  }

  /**
   * One IP packet read from the TUN (or one segment of a super-packet): route, clamp, ESP, send.
   */
  private void outbound(byte[] p, int off, int n, boolean clamp, byte[] out) {
    if (n < 20 || (p[off] & 0xf0) != 0x40) {
      // IPv6 the host's kernel sends on the TUN (router solicitations, MLD): coati has no IPv6
      // routes, and it is not the peer's malformed packet
      drops.count(DropCounters.Reason.NO_ROUTE);
      return;
    }
    Route r = lookup(p, off);
    if (r == null) {
      Egress e = egress;
      int sent = e == null ? Egress.NO_DESTINATION : e.send(p, off, n);
      if (sent == Egress.SENT) {
        outPackets.increment();
        outBytes.add(n);
      } else if (sent == Egress.NO_DESTINATION) {
        drops.count(DropCounters.Reason.NO_ROUTE);
      }
      return;
    }
    if (clamp) {
      MssClamp.clamp(p, off, n, maxMss(r));
    }
    if (r.fragmentSize() > 0 && n > r.fragmentSize()) {
      fragmentation.send(r, p, off, n, out, sealer);
    } else {
      seal(r, p, off, n, out);
    }
  }

  /** Encrypts one inner packet (or fragment) on {@code r} and sends it. */
  private void seal(Route r, byte[] p, int off, int n, byte[] out) {
    int m = EspCodec.encapsulate(r.out(), random, p, off, n, EspCodec.NEXT_IPV4, out, 0);
    if (m < 0) {
      drops.count(EspCodec.Drop.of(m));
      return;
    }
    sender.send(r.ike().local(), r.ike().peer(), out, m, r.child().transform().udpEncapsulated());
    outPackets.increment();
    outBytes.add(n);
  }

  /** TCP segments must fit the TUN MTU (IPv4 and TCP headers: 40 bytes). */
  private int maxMss() {
    return tun.mtu() - 40;
  }

  /** ... and the route's ESP fragment size, so TCP is not fragmented. */
  private int maxMss(Route r) {
    return r.fragmentSize() > 0 ? Math.min(maxMss(), r.fragmentSize() - 40) : maxMss();
  }

  /**
   * The SA whose selectors cover the packet: destination in the remote selector and source in the
   * local one (RFC 4301's SPD match), so two children towards one client address (a LAN and the
   * pool, say) each carry only their own traffic. The most specific remote selector wins (longest
   * prefix: a road warrior's /32 before a site-to-site subnet holding it), among equally specific
   * ones the newest (a rekeyed child before the one it replaces). One hash probe per prefix length
   * installed, no allocation.
   */
  private Route lookup(byte[] pkt, int off) {
    return outboundRoutes.lookup(pkt, off);
  }

  /** Something to run when authenticated traffic arrives (tells the engine's DPD). */
  public void onTraffic(Consumer<IkeSaView> r) {
    this.trafficHook = r;
  }
}
