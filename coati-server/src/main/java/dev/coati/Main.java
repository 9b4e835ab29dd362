package dev.coati;

import dev.coati.auth.GuardedAuthenticator;
import dev.coati.auth.GuessingGuard;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.DhFactory;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.nativeio.tun.LinuxTun;
import dev.coati.nativeio.tun.TunOffload;
import dev.coati.pool.AddressPool;
import dev.coati.server.cli.Capabilities;
import dev.coati.server.cli.CoatiCli;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.IkeSocketLoop;
import dev.coati.server.dataplane.TransportRoutes;
import dev.coati.server.l2tp.L2tpServer;
import dev.coati.server.l2tp.L2tpSetup;
import dev.coati.server.log.LogSetup;
import dev.coati.server.metrics.CountingAuthenticator;
import dev.coati.server.metrics.Metrics;
import dev.coati.server.metrics.MetricsServer;
import dev.coati.server.ops.ControlServer;
import dev.coati.server.ops.Hangup;
import dev.coati.server.ops.Operations;
import dev.coati.server.ops.ProcessGuard;
import dev.coati.server.ops.Reloader;
import dev.coati.server.policy.BothListeners;
import dev.coati.server.policy.ConfiguredPolicy;
import dev.coati.server.policy.LoggingListener;
import dev.coati.server.policy.PeerStarter;
import dev.coati.server.policy.RemoteAccessService;
import dev.coati.server.policy.RemoteAccessSetup;
import dev.coati.server.radius.DynamicAuthServer;
import dev.coati.server.radius.RadiusSetup;
import dev.coati.server.sessions.LeaseStore;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Entry point: wiring only. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int rc = run(List.of(args), System.out, System.err);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Runs the command line (server.cli.CoatiCli); returns the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    return CoatiCli.execute(args, System.in, out, err, Main::gateway);
  }

  /**
   * {@code coati run}: the gateway on {@code configFile} (RunCommand), logging through LogSetup in
   * {@code logFormat} (null: the configuration's log.format, else text); the exit code.
   */
  static int gateway(
      Path configFile,
      boolean once,
      String logFormat,
      Path stateDir,
      PrintStream out,
      PrintStream err) {
    LogSetup.Format format = LogSetup.Format.TEXT;
    if (logFormat != null) {
      format = LogSetup.Format.parse(logFormat);
      if (format == null) {
        err.println("coati: --log-format takes text or json");
        return 2;
      }
    }
    LogSetup.start(format, LogSetup.underJournald(), out);
    try {
      return configured(configFile, once, logFormat != null, stateDir, LogSetup.events(), err);
    } finally {
      LogSetup.stop(2000);
    }
  }

  private static int configured(
      Path configFile,
      boolean once,
      boolean formatGiven,
      Path stateDir,
      PrintStream out,
      PrintStream err) {
    try {
      RandomSource random = RandomSource.secure();
      ConfigLoader.Inspection checked = ConfigLoader.inspect(configFile);
      GatewayConfig config = checked.config();
      if (!formatGiven && config.logFormat().equals("json")) {
        LogSetup.start(LogSetup.Format.JSON, LogSetup.underJournald(), LogSetup.target());
      }
      describe(config, configFile.toString(), out);
      checked.problems().forEach(p -> out.println("coati: " + p));
      checked.warnings().forEach(w -> out.println("coati: " + w));
      if (once) {
        return 0;
      }
      List<String> missing = Capabilities.missing(config);
      if (!missing.isEmpty()) {
        missing.forEach(m -> err.println("coati: cannot start: " + m));
        return 1;
      }
      return serve(config, configFile, stateDir, random, out);
    } catch (ConfigException e) {
      err.println("coati: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("coati: " + e.getMessage());
      return 1;
    }
  }

  private static void describe(GatewayConfig config, String file, PrintStream out) {
    out.println(
        "coati: "
            + (file == null ? "embedded demo configuration" : "configuration " + file)
            + " (gateway id "
            + config.gatewayId()
            + ")");
    out.println(
        "coati: IKE proposals " + config.ikeProposals().size() + ": " + config.ikeProposals());
    out.println("coati: ESP proposals " + config.espProposals().size());
    out.println(
        "coati: IKEv1 engine ready; UDP "
            + config.ikePort()
            + "/"
            + config.natTPort()
            + " on "
            + config.listen());
    out.println(
        "coati: ESP data plane: "
            + (config.tun() == null
                ? "off (no dataplane: section; ESP traffic is dropped)"
                : "tunnel mode (raw ESP or UDP 4500) via TUN " + config.tun().name()));
    out.println(
        "coati: remote access (PSK + Xauth, mode config): "
            + (config.remoteAccess() == null ? "off (no remote_access: section)" : "on")
            + "; L2TP/IPsec: "
            + (config.l2tp() == null ? "off (no l2tp: section)" : "on"));
    out.println(
        "coati: metrics: "
            + (config.metricsListen() == null
                ? "off (no metrics: section)"
                : "http://" + config.metricsListen() + "/metrics")
            + "; users: "
            + config.usersSource().name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }

  private static int serve(
      GatewayConfig config, Path file, Path stateDir, RandomSource random, PrintStream out)
      throws IOException {
    ProcessGuard.atStart(out);
    try (IkeSocketLoop loop =
        new IkeSocketLoop(
            config.listen(),
            config.ikePort(),
            config.natTPort(),
            config.l2tp() == null ? 0 : TransportRoutes.L2TP_PORT)) {
      PeerStarter peers = new PeerStarter(config, out);
      DataPlane[] dataPlaneHolder = new DataPlane[1];
      Metrics metrics = new Metrics();
      IkeListener events =
          new BothListeners(new BothListeners(new LoggingListener(out), peers), metrics);
      if (config.tun() != null) {
        GatewayConfig.Tun t = config.tun();
        TunOffload offload = TunOffload.fromEnvironment();
        LinuxTun tun = LinuxTun.open(t.name(), ipv4(t.address()), t.prefix(), t.mtu(), offload);
        dataPlaneHolder[0] = new DataPlane(tun, random);
        metrics.dataPlane(dataPlaneHolder[0]);
        events = new BothListeners(events, dataPlaneHolder[0]);
        out.println(
            "coati: TUN "
                + t.name()
                + " "
                + t.address()
                + "/"
                + t.prefix()
                + " mtu "
                + t.mtu()
                + offloadNote(tun, offload));
      }
      ConfiguredPolicy policy = new ConfiguredPolicy(config, loop.rawEsp());
      if (dataPlaneHolder[0] != null) {
        dataPlaneHolder[0].fragmentation(policy::espFragmentSize);
      }
      L2tpServer l2tp = null;
      AddressPool pool = null;
      RemoteAccessSetup.Aaa users =
          config.remoteAccess() == null ? null : RemoteAccessSetup.aaa(config, out);
      UserSessions sessions =
          EventsSetup.sessions(config, users == null ? null : users.accounting(), out);
      String nasSession =
          RadiusSetup.accountingOn(
              users == null ? null : users.accounting(),
              System.currentTimeMillis(),
              RadiusSetup.exchangeMillis(config.radius()),
              out);
      RemoteAccessSetup.Aaa aaa = null;
      RemoteAccessService ra = null;
      if (config.remoteAccess() != null) {
        GuessingGuard guard =
            new GuessingGuard(config.limits().guessing(), () -> System.nanoTime() / 1_000_000);
        aaa =
            new RemoteAccessSetup.Aaa(
                new GuardedAuthenticator(new CountingAuthenticator(users.auth(), metrics), guard),
                users.pool(),
                users.workers(),
                users.accounting());
        pool = aaa.pool();
        metrics.guessing(guard, aaa.workers());
        ra = RemoteAccessSetup.create(config, aaa, loop::post, out);
        policy.remoteAccess(ra);
        ra.sessions(sessions, dataPlaneHolder[0]);
        events = new BothListeners(events, ra);
        if (config.l2tp() != null) {
          l2tp =
              L2tpSetup.create(config, aaa, dataPlaneHolder[0], loop::post, random, sessions, out);
        }
      }
      L2tpServer lns = l2tp;
      AddressPool leases = pool;
      LeaseStore leaseStore =
          LeaseStore.open(stateDir, pool, config, System.currentTimeMillis(), out);
      IkeListener listener = events;
      IkeEngine engine =
          loop.attach(
              outbox ->
                  new IkeEngine(
                      new IkeContext(
                          System::currentTimeMillis,
                          random,
                          DhFactory.using(random),
                          policy,
                          outbox,
                          listener,
                          RetransmitPolicy.DEFAULT)));
      peers.attach(engine, System.currentTimeMillis());
      startDataPlane(loop, dataPlaneHolder[0], engine, config);
      metrics.invalidSpi(loop.invalidSpi());
      DataPlane dp = dataPlaneHolder[0];
      loop.onTick(
          () -> {
            peers.tick(System.currentTimeMillis());
            if (dp != null) {
              dp.checkVolumes();
              dp.checkIdle(System.currentTimeMillis());
            }
            if (lns != null) {
              lns.tick(System.currentTimeMillis());
            }
            sessions.tick(System.currentTimeMillis());
            if (leaseStore != null) {
              leaseStore.tick(System.currentTimeMillis());
            }
            metrics.ikeDuplicates(
                engine.counters().duplicatesAnswered(), engine.counters().duplicatesDropped());
            metrics.snapshot(
                leases == null ? 0 : leases.capacity(),
                leases == null ? 0 : leases.freeCount(),
                lns == null ? 0 : lns.tunnelCount(),
                lns == null ? 0 : lns.sessionCount());
            metrics.engine(engine.counters());
            metrics.reportGuessing(System.nanoTime() / 1_000_000, out);
          });
      MetricsServer metricsServer = EventsSetup.metrics(config, metrics, out);
      if (lns != null) {
        loop.onStop(() -> lns.closeAll("gateway shutting down"));
        lns.onDeadPeer(
            peer ->
                engine.sas().stream()
                    .filter(sa -> sa.peer().equals(peer))
                    .toList()
                    .forEach(sa -> engine.kick(sa, "its L2TP tunnel timed out")));
      }
      Operations ops =
          new Operations(
              new Operations.Gateway(
                  loop::post,
                  engine,
                  dp,
                  lns,
                  new Reloader(file, config, policy, ra, users == null ? null : users.auth(), out),
                  sessions),
              out);
      sessions.ender((e, why) -> ops.end(e.name(), why));
      DynamicAuthServer dae = RadiusSetup.disconnects(config, loop::post, sessions, out);
      ControlServer control = ControlServer.startOrWarn(config, ops, out);
      Hangup.install(ops, out);
      ProcessGuard.dropPrivileges(config, stateDir, out);
      Thread main = Thread.currentThread();
      Thread hook =
          new Thread(
              () -> {
                loop.stop();
                try {
                  main.join(5000);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      Runtime.getRuntime().addShutdownHook(hook);
      out.println(
          "coati: sockets "
              + loop.backend()
              + (loop.rawEsp() ? ", ESP raw and over UDP" : ", ESP over UDP only"));
      out.println("coati: running; stop with Ctrl-C or SIGTERM");
      out.flush();
      try {
        loop.run();
      } finally {
        if (control != null) {
          control.close();
        }
        if (dae != null) {
          dae.close();
        }
      }
      if (dp != null) {
        out.println(
            "coati: data plane in="
                + dp.inPackets.sum()
                + " out="
                + dp.outPackets.sum()
                + " dropped: "
                + dp.drops);
      }
      if (metricsServer != null) {
        metricsServer.close();
      }
      sessions.events().flush();
      RadiusSetup.accountingOff(users == null ? null : users.accounting(), nasSession, 10_000, out);
      if (leaseStore != null) {
        leaseStore.flush(System.currentTimeMillis());
      }
      out.println("coati: stopped");
    }
    return 0;
  }

  private static void startDataPlane(
      IkeSocketLoop loop, DataPlane dp, IkeEngine engine, GatewayConfig config) {
    if (dp == null) {
      return;
    }
    loop.dataPlane(dp);
    dp.onTraffic(engine::trafficSeen);
    dp.onVolume(engine::childVolumeReached);
    if (config.remoteAccess() != null) {
      dp.onIdle(
          config.remoteAccess().idleTimeoutSeconds() * 1000, sa -> engine.kick(sa, "idle timeout"));
    }
    Thread t = new Thread(dp::runOutbound, "coati-tun");
    t.setDaemon(true);
    t.start();
  }

  /** What the TUN line says about offloads (nothing when coati.tun.offload is off). */
  static String offloadNote(LinuxTun tun, TunOffload asked) {
    if (tun.vnetHeaderLength() != 0) {
      return ", offload TSO4 + checksum (virtio_net_hdr; coati.tun.offload="
          + asked.name().toLowerCase(Locale.ROOT)
          + ")";
    }
    return asked == TunOffload.OFF
        ? ""
        : ", offload unavailable (" + tun.offloadFallback() + "): plain packets";
  }

  static byte[] ipv4(String s) {
    String[] p = s.split("\\.");
    byte[] a = new byte[4];
    for (int i = 0; i < 4; i++) {
      a[i] = (byte) Integer.parseInt(p[i]);
    }
    return a;
  }
}
