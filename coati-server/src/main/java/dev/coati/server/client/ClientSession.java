package dev.coati.server.client;

import dev.coati.config.ClientProfile;
import dev.coati.ike.ChildRequest;
import dev.coati.ike.ChildSa;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSa;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.RemoteAccess;
import dev.coati.ike.TrafficSelector;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.nativeio.tun.LinuxTun;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.IkeSocketLoop;
import dev.coati.server.events.Hooks;
import dev.coati.server.events.SessionEvent;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * One road-warrior connection as the engine reports it (socket thread): after mode config the TUN
 * device with the assigned address, the data plane, routes and DNS, then quick mode for each
 * tunnelled network; when the first child is up, "Bound to address" and the banner (racoonctl vc's
 * output) and the up hook. The IKE SA going away for good ends the connection.
 */
final class ClientSession implements IkeListener {
  private final ClientProfile profile;
  private final ClientPolicy policy;
  private final IkeSocketLoop loop;
  private final RandomSource random;
  private final PrintStream out;
  private final HostNetwork network;
  private final Hooks hooks;
  private IkeEngine engine;
  private volatile RemoteAccess.ClientConfig config;
  private volatile IkeSaView sa;
  private volatile String address;
  private volatile boolean bound;
  private volatile String ended;
  private LinuxTun tun;
  private DataPlane dataPlane;
  private long upAt;

  ClientSession(
      ClientProfile profile,
      ClientPolicy policy,
      IkeSocketLoop loop,
      RandomSource random,
      PrintStream out) {
    this.profile = profile;
    this.policy = policy;
    this.loop = loop;
    this.random = random;
    this.out = out;
    this.network = new HostNetwork(profile.tun(), profile.dns(), out);
    this.hooks = new Hooks(profile.up(), profile.down(), 30, profile.tun(), out);
  }

  void attach(IkeEngine e) {
    this.engine = e;
  }

  @Override
  public void ikeEstablished(IkeSaView s) {
    if (sa != null && sa.state() == IkeSa.State.ESTABLISHED && s != sa) {
      out.println("coati: phase 1 renewed with " + s.peer());
    } else {
      out.println("coati: phase 1 up with " + s.peer() + ", Xauth as " + profile.user());
    }
    sa = s;
    out.flush();
  }

  @Override
  public void modeConfigReceived(IkeSaView s, RemoteAccess.ClientConfig cfg) {
    if (config != null) {
      return; // pushed and pulled: the first one counts
    }
    config = cfg;
    policy.pfs(cfg.pfs());
    try {
      address = InetAddress.getByAddress(cfg.address()).getHostAddress();
      tun = LinuxTun.open(profile.tun(), cfg.address(), 32, profile.mtu());
      dataPlane = new DataPlane(tun, random);
      int frag = profile.espFragmentSize();
      dataPlane.fragmentation(x -> frag);
      loop.dataPlane(dataPlane);
      dataPlane.onTraffic(engine::trafficSeen);
      dataPlane.onVolume(engine::childVolumeReached);
      Thread t = new Thread(dataPlane::runOutbound, "coati-tun");
      t.setDaemon(true);
      t.start();
      network.up(profile.gateway(), cfg);
    } catch (IOException | RuntimeException e) {
      end("cannot set up " + profile.tun() + ": " + e.getMessage());
      return;
    }
    IkeSa ike = (IkeSa) s;
    loop.post(() -> quickModes(ike, cfg));
  }

  private void quickModes(IkeSa ike, RemoteAccess.ClientConfig cfg) {
    TrafficSelector local = TrafficSelector.host(cfg.address(), 0, 0);
    for (String net : HostNetwork.tunnelNetworks(cfg)) {
      String[] p = net.split("/");
      try {
        byte[] a = InetAddress.getByName(p[0]).getAddress();
        TrafficSelector remote = TrafficSelector.subnet(a, Integer.parseInt(p[1]), 0, 0);
        engine.initiateChild(ike, new ChildRequest(local, remote, IpsecAttr.TUNNEL));
      } catch (UnknownHostException | RuntimeException e) {
        out.println("coati: split network " + net + " skipped: " + e.getMessage());
      }
    }
  }

  @Override
  public void childEstablished(IkeSaView s, ChildSa child) {
    if (dataPlane == null) {
      return;
    }
    dataPlane.childEstablished(s, child);
    if (!bound) {
      bound = true;
      upAt = System.currentTimeMillis();
      out.println("Bound to address " + address);
      if (config.banner() != null && !config.banner().isBlank()) {
        out.println(config.banner().stripTrailing());
      }
      out.flush();
      SessionEvent up =
          SessionEvent.up("xauth", s.name(), profile.user(), s.peer().toString(), address);
      Thread.ofVirtual().name("coati-hook-up").start(() -> hooks.run(up)); // never on the loop
    }
  }

  @Override
  public void childDeleted(IkeSaView s, ChildSa child) {
    if (dataPlane != null) {
      dataPlane.childDeleted(s, child);
    }
  }

  @Override
  public void childFailed(IkeSaView s, String reason) {
    out.println("coati: quick mode failed: " + reason);
  }

  @Override
  public void ikeDeleted(IkeSaView s, String reason) {
    if (s != sa && sa != null) {
      return; // an older SA, replaced by our re-authentication
    }
    if ("replaced by a newer ISAKMP SA".equals(reason) || ClientRunner.STOPPING.equals(reason)) {
      return;
    }
    end(bound ? "connection to " + profile.gateway() + " ended: " + reason : reason);
  }

  /** The connection is over (the runner stops the loop when it sees this). */
  private void end(String why) {
    if (ended == null) {
      ended = why;
      loop.stop();
    }
  }

  /** Every timer tick (socket thread): ESP volume lifetimes. */
  void tick() {
    if (dataPlane != null) {
      dataPlane.checkVolumes();
    }
  }

  /** Whether the first child SA is up. */
  boolean bound() {
    return bound;
  }

  /** Gives up (socket thread): the connection did not come up. */
  void fail(String why) {
    end(why);
  }

  /** Why the connection ended by itself, or null (still up, or ended by the user). */
  String ended() {
    return ended;
  }

  /** Routes, DNS, TUN and the down hook, after the loop stopped (main thread). */
  void teardown(String reason) {
    network.down();
    if (tun != null) {
      tun.close();
    }
    if (bound) {
      long seconds = (System.currentTimeMillis() - upAt) / 1000;
      IkeSaView s = sa;
      hooks.run(
          SessionEvent.down(
              "xauth",
              s == null ? null : s.name(),
              profile.user(),
              s == null ? null : s.peer().toString(),
              address,
              seconds,
              reason));
    }
  }

  /** One line for {@code coati connect --status}. */
  String status() {
    IkeSaView s = sa;
    if (!bound) {
      return profile.gateway() + ": connecting" + (s == null ? "" : " (phase 1 " + s.state() + ")");
    }
    return profile.gateway()
        + ": up, address "
        + address
        + ", networks "
        + HostNetwork.tunnelNetworks(config)
        + ", interface "
        + profile.tun()
        + ", user "
        + profile.user()
        + ", since "
        + (System.currentTimeMillis() - upAt) / 1000
        + " s"
        + (dataPlane == null
            ? ""
            : ", packets in " + dataPlane.inPackets.sum() + " out " + dataPlane.outPackets.sum());
  }

  List<String> bannerLines() {
    RemoteAccess.ClientConfig c = config;
    return c == null || c.banner() == null ? List.of() : c.banner().lines().toList();
  }
}
