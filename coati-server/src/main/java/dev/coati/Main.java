package dev.coati;

import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.DhFactory;
import dev.coati.crypto.Secret;
import dev.coati.ike.IkeContext;
import dev.coati.ike.IkeEngine;
import dev.coati.ike.IkeListener;
import dev.coati.ike.RetransmitPolicy;
import dev.coati.nativeio.tun.LinuxTun;
import dev.coati.nativeio.tun.TunOffload;
import dev.coati.server.cli.CheckCommand;
import dev.coati.server.cli.ControlClient;
import dev.coati.server.cli.DemoCommand;
import dev.coati.server.cli.ImportCommand;
import dev.coati.server.cli.PkiCommand;
import dev.coati.server.cli.UserCommand;
import dev.coati.server.control.BothListeners;
import dev.coati.server.control.ConfiguredPolicy;
import dev.coati.server.control.LoggingListener;
import dev.coati.server.control.PeerStarter;
import dev.coati.server.control.RemoteAccessService;
import dev.coati.server.control.RemoteAccessSetup;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.IkeSocketLoop;
import dev.coati.server.dataplane.TransportRoutes;
import dev.coati.server.events.EventsSetup;
import dev.coati.server.l2tp.L2tpServer;
import dev.coati.server.l2tp.L2tpSetup;
import dev.coati.server.log.LogSetup;
import dev.coati.server.metrics.CountingAuthenticator;
import dev.coati.server.metrics.Metrics;
import dev.coati.server.metrics.MetricsServer;
import dev.coati.server.ops.ControlServer;
import dev.coati.server.ops.Hangup;
import dev.coati.server.ops.Operations;
import dev.coati.server.ops.Reloader;
import dev.coati.server.radius.DynamicAuthServer;
import dev.coati.server.radius.RadiusSetup;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** Entry point: wiring only. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int rc = run(List.of(args), System.out, System.err);
    if (rc != 0) {
      System.exit(rc);
    }
  }

  /** Runs the command line; returns the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    List<String> rest = args.isEmpty() ? List.of("run") : args;
    if (rest.get(0).equals("user")) {
      return UserCommand.run(rest.subList(1, rest.size()), System.in, out, err);
    }
    if (rest.get(0).equals("pki")) {
      return PkiCommand.run(rest.subList(1, rest.size()), out, err);
    }
    if (rest.get(0).equals("check")) {
      return CheckCommand.run(rest.subList(1, rest.size()), out, err);
    }
    if (List.of("status", "kick", "reload").contains(rest.get(0))) {
      return ControlClient.run(rest.get(0), rest.subList(1, rest.size()), out, err);
    }
    if (rest.get(0).equals("demo")) {
      return DemoCommand.run(rest.subList(1, rest.size()), out, err);
    }
    if (rest.get(0).equals("import")) {
      return ImportCommand.run(rest.subList(1, rest.size()), out, err);
    }
    if (!rest.get(0).equals("run")) {
      err.println(
          "coati: unknown command '"
              + rest.get(0)
              + "'; try: coati run [--config FILE] [--once], coati status|kick|reload, coati check"
              + " --config FILE, coati user, coati pki, coati demo, coati import");
      return 2;
    }
    String configFile = option(rest, "--config");
    String stateDir = option(rest, "--state-dir");
    if ((rest.contains("--config") && configFile == null)
        || (rest.contains("--state-dir") && stateDir == null)) {
      err.println("coati: --config and --state-dir need a value");
      return 2;
    }
    LogSetup.Format format = LogSetup.Format.TEXT;
    if (rest.contains("--log-format")) {
      format = LogSetup.Format.parse(option(rest, "--log-format"));
      if (format == null) {
        err.println("coati: --log-format takes text or json");
        return 2;
      }
    }
    LogSetup.start(format, LogSetup.underJournald(), out);
    try {
      return run(rest, configFile, stateDir, LogSetup.events(), err);
    } finally {
      LogSetup.stop(2000);
    }
  }

  private static int run(
      List<String> rest, String configFile, String stateDir, PrintStream out, PrintStream err) {
    try {
      RandomSource random = RandomSource.secure();
      GatewayConfig config =
          configFile != null
              ? ConfigLoader.load(Path.of(configFile))
              : GatewayConfig.demo(
                  demoPsk(Path.of(stateDir == null ? "run" : stateDir), random, out),
                  GatewayConfig.demoControl(Path.of(stateDir == null ? "run" : stateDir)));
      if (!rest.contains("--log-format") && config.logFormat().equals("json")) {
        LogSetup.start(LogSetup.Format.JSON, LogSetup.underJournald(), LogSetup.target());
      }
      describe(config, configFile, out);
      if (rest.contains("--once")) {
        return 0;
      }
      return serve(config, configFile == null ? null : Path.of(configFile), random, out);
    } catch (ConfigException e) {
      err.println("coati: " + e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("coati: " + e.getMessage());
      return 1;
    }
  }

  private static String option(List<String> args, String name) {
    int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
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
            + config.usersSource().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
  }

  private static int serve(GatewayConfig config, Path file, RandomSource random, PrintStream out)
      throws IOException {
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
      L2tpServer l2tp = null;
      dev.coati.pool.AddressPool pool = null;
      RemoteAccessSetup.Aaa users =
          config.remoteAccess() == null ? null : RemoteAccessSetup.aaa(config, out);
      UserSessions sessions =
          EventsSetup.sessions(config, users == null ? null : users.accounting(), out);
      RemoteAccessSetup.Aaa aaa = null;
      RemoteAccessService ra = null;
      if (config.remoteAccess() != null) {
        aaa =
            new RemoteAccessSetup.Aaa(
                new CountingAuthenticator(users.auth(), metrics),
                users.pool(),
                users.workers(),
                users.accounting());
        pool = aaa.pool();
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
      dev.coati.pool.AddressPool leases = pool;
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
            metrics.snapshot(
                leases == null ? 0 : leases.capacity(),
                leases == null ? 0 : leases.freeCount(),
                lns == null ? 0 : lns.tunnelCount(),
                lns == null ? 0 : lns.sessionCount());
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
          + asked.name().toLowerCase(java.util.Locale.ROOT)
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

  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Reads the demo PSK, or generates one into a new 0600 file on first start. An existing file that
   * others can read is tightened to 0600 first.
   */
  private static Secret demoPsk(Path dir, RandomSource random, PrintStream out) throws IOException {
    Path file = dir.resolve("demo-psk.txt");
    out.println("coati: demo pre-shared key in " + file + " (mode 0600)");
    if (Files.exists(file)) {
      if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
        Files.setPosixFilePermissions(file, OWNER_ONLY);
      }
      return Secret.wrap(
          Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8));
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    String psk = HexFormat.of().formatHex(random.bytes(16));
    Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    Files.setPosixFilePermissions(file, OWNER_ONLY);
    Files.writeString(file, psk + "\n", StandardCharsets.UTF_8);
    return Secret.wrap(psk.getBytes(StandardCharsets.UTF_8));
  }
}
