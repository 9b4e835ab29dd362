package dev.coati.ppp;

import dev.coati.ppp.wire.ControlPacket;
import dev.coati.ppp.wire.PppProtocol;
import dev.coati.util.Ipv4Address;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The Network phase of a {@link PppSession}: IPCP with an {@link IpcpPolicy} built from the lease,
 * started when authentication succeeds (our Configure-Request first), and the peer's IPCP
 * Configure-Request that arrived during authentication, kept (the latest only) and replayed then.
 */
final class SessionNetwork {
  private final RestartConfig restart;
  private final BiConsumer<PppProtocol, ControlPacket> out;
  private final Consumer<Ipv4Address> opened;
  private final Consumer<String> failed;
  private IpcpPolicy policy;
  private ControlLayer layer;
  private ControlPacket early;

  /**
   * @param opened IPCP Opened with the lease acked for the peer (again after a renegotiation)
   * @param failed IPCP finished, or opened without the lease: the reason
   */
  SessionNetwork(
      RestartConfig restart,
      BiConsumer<PppProtocol, ControlPacket> out,
      Consumer<Ipv4Address> opened,
      Consumer<String> failed) {
    this.restart = restart;
    this.out = out;
    this.opened = opened;
    this.failed = failed;
  }

  void start(IpcpGrant g, long now) {
    policy = new IpcpPolicy(g.ours(), g.peer(), IpcpPolicy.servers(g.dns(), g.nbns()));
    layer = new ControlLayer(PppProtocol.IPCP, policy, restart, out, new Layer());
    layer.start(now);
    ControlPacket kept = early;
    early = null;
    if (kept != null) {
      layer.receive(kept, now);
    }
  }

  /** An IPCP packet; before {@link #start} a Configure-Request is kept if {@code keep}. */
  void packet(ControlPacket c, boolean keep, long now) {
    if (layer != null) {
      layer.receive(c, now);
    } else if (keep && c.code() == ControlPacket.CONFIGURE_REQUEST) {
      early = c;
    }
  }

  boolean isOpened() {
    return layer != null && layer.isOpened();
  }

  long deadline() {
    return layer == null ? Transmitter.NO_DEADLINE : layer.deadline();
  }

  void tick(long now) {
    if (layer != null) {
      layer.tick(now);
    }
  }

  /** LCP left Opened: IPCP Down. */
  void lowerDown() {
    if (layer != null) {
      layer.automaton().down();
    }
  }

  private final class Layer implements ControlLayer.Events {
    @Override
    public void up() {
      Optional<Ipv4Address> peer = policy.peerAddress();
      if (peer.isEmpty()) {
        failed.accept("peer refused the leased address");
      } else {
        opened.accept(peer.get());
      }
    }

    @Override
    public void finished() {
      failed.accept("IPCP negotiation failed");
    }
  }
}
