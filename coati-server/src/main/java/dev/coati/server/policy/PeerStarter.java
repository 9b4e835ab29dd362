package dev.coati.server.policy;

import dev.coati.config.GatewayConfig;
import dev.coati.ike.ChildRequest;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.PeerAddress;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IpsecAttr;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the site-to-site peers marked {@code start: true} and starts them again when their IKE SA
 * dies (DPD timeout, Delete, failed negotiation): seed 001's auto=start, dpdaction=restart,
 * closeaction=restart. Restarts wait {@link #RETRY_MILLIS} and run from the socket thread's tick,
 * never from inside an engine callback.
 */
public final class PeerStarter implements IkeListener {
  static final long RETRY_MILLIS = 5000;

  private final List<GatewayConfig.PeerConfig> peers;
  private final PeerAddress local;
  private final PrintStream log;
  private final Map<String, Long> due = new HashMap<>();
  private IkeEngine engine;

  public PeerStarter(GatewayConfig config, PrintStream log) {
    this.peers = config.peers().stream().filter(GatewayConfig.PeerConfig::start).toList();
    this.local = address(config.listen().get(0), config.ikePort());
    this.log = log;
  }

  static PeerAddress address(String ip, int port) {
    String[] p = ip.split("\\.");
    return PeerAddress.ipv4(
        Integer.parseInt(p[0]),
        Integer.parseInt(p[1]),
        Integer.parseInt(p[2]),
        Integer.parseInt(p[3]),
        port);
  }

  /** Called once the engine exists: every start peer is due now. */
  public void attach(IkeEngine engine, long now) {
    this.engine = engine;
    for (GatewayConfig.PeerConfig p : peers) {
      due.put(p.name(), now);
    }
  }

  /** Runs from the socket thread's timer. */
  public void tick(long now) {
    for (GatewayConfig.PeerConfig p : peers) {
      Long at = due.get(p.name());
      if (at != null && now >= at) {
        due.remove(p.name());
        if (!alreadyUp(p)) {
          start(p);
        }
      }
    }
  }

  /**
   * A newer ISAKMP SA with the peer (our own re-authentication, or the peer's) took over the IPsec
   * SAs of the one that went away: nothing to restart.
   */
  private boolean alreadyUp(GatewayConfig.PeerConfig p) {
    return engine.sas().stream()
        .anyMatch(
            s ->
                s.state() == IkeSa.State.ESTABLISHED
                    && s.peer().toString().startsWith(p.remote() + ":"));
  }

  private void start(GatewayConfig.PeerConfig p) {
    PeerAddress remote = address(p.remote(), local.port());
    log.println("peer " + p.name() + ": initiating to " + remote);
    IkeSa sa =
        engine.initiate(
            local,
            remote,
            p.aggressive() ? ExchangeType.AGGRESSIVE : ExchangeType.IDENTITY_PROTECTION);
    for (String l : p.localSubnets()) {
      for (String r : p.remoteSubnets()) {
        engine.initiateChild(
            sa,
            new ChildRequest(
                ConfiguredPolicy.subnet(l), ConfiguredPolicy.subnet(r), IpsecAttr.TUNNEL));
      }
    }
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    if ("replaced by a newer ISAKMP SA".equals(reason)
        || (!sa.isInitiator()
            && !"DPD timeout".equals(reason)
            && !"deleted by peer".equals(reason))) {
      return;
    }
    String ip = sa.peer().toString().substring(0, sa.peer().toString().lastIndexOf(':'));
    for (GatewayConfig.PeerConfig p : peers) {
      if (p.remote().equals(ip) && !"gateway shutting down".equals(reason)) {
        log.println(
            "peer "
                + p.name()
                + ": IKE SA gone ("
                + reason
                + "), restarting in "
                + RETRY_MILLIS / 1000
                + " s");
        due.put(p.name(), System.currentTimeMillis() + RETRY_MILLIS);
      }
    }
  }
}
