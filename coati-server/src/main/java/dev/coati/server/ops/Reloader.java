package dev.coati.server.ops;

import dev.coati.auth.Authenticator;
import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.auth.UsersFileException;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.server.auth.UsersFileReader;
import dev.coati.server.policy.ConfiguredPolicy;
import dev.coati.server.policy.RemoteAccessService;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * {@code coati reload} and SIGHUP: the configuration file and the users file are read again; any
 * error refuses the reload and the running configuration stays. A good one replaces the policy's
 * configuration (PSKs, proposals, lifetimes, identities, certificates) and the remote-access
 * settings and users for sessions from now on; sessions of users no longer in the users file are
 * kicked, others stay. What only a restart changes is listed in the answer.
 */
public final class Reloader {
  private final Path file;
  private final ConfiguredPolicy policy;
  private final RemoteAccessService ra;
  private final Authenticator auth;
  private final PrintStream log;

  /** What the process started with: restart-only settings are judged against it. */
  private final GatewayConfig started;

  private GatewayConfig current;

  /**
   * @param file the configuration file (null: the embedded demo, which cannot be reloaded)
   * @param ra the road-warrior service, or null
   * @param auth the users' authenticator (replaced when it is a {@link LocalAuthenticator})
   */
  public Reloader(
      Path file,
      GatewayConfig current,
      ConfiguredPolicy policy,
      RemoteAccessService ra,
      Authenticator auth,
      PrintStream log) {
    this.file = file;
    this.current = current;
    this.started = current;
    this.policy = policy;
    this.ra = ra;
    this.auth = auth;
    this.log = log;
  }

  synchronized ControlServer.Response reload(Operations ops) throws TimeoutException {
    if (file == null) {
      return refused("the gateway runs the embedded demo configuration (start it with --config)");
    }
    GatewayConfig next;
    LocalUsers users = null;
    try {
      next = ConfigLoader.load(file);
      if (ra != null && next.usersFile() != null) {
        users = new UsersFileReader(next.usersFile(), log).load();
      }
    } catch (ConfigException | UsersFileException | IOException e) {
      return refused(e.getMessage());
    }
    String structural = structuralChange(current, next);
    if (structural != null) {
      return refused(structural + " cannot change without a restart");
    }
    LocalUsers u = users;
    List<String> kicked =
        ops.onEngine(
            () -> {
              policy.replace(next);
              if (ra != null) {
                ra.replace(next.remoteAccess());
              }
              if (u != null && auth instanceof LocalAuthenticator local) {
                local.replace(u);
                return ops.kickRows(
                    ops.usersGone(name -> u.find(name).isPresent()),
                    "no longer in the users file: kicked",
                    "removed from the users file (kicked by the operator's reload)");
              }
              return List.of();
            });
    // against what runs, not the last reload: a restart-only change reverted needs no restart
    List<String> restart = restartNeeded(started, next);
    current = next;
    StringBuilder sb = new StringBuilder("reloaded " + file + "\n");
    kicked.forEach(k -> sb.append(k).append('\n'));
    if (!restart.isEmpty()) {
      sb.append("restart needed for: ").append(String.join(", ", restart)).append('\n');
    }
    return new ControlServer.Response(0, sb.toString());
  }

  private static ControlServer.Response refused(String why) {
    return new ControlServer.Response(
        1, "reload refused, the running configuration stays: " + why + "\n");
  }

  /** A section switched on or off: the gateway's wiring would change (null: none). */
  static String structuralChange(GatewayConfig a, GatewayConfig b) {
    if ((a.remoteAccess() == null) != (b.remoteAccess() == null)) {
      return "adding or removing remote_access:";
    }
    if ((a.l2tp() == null) != (b.l2tp() == null)) {
      return "adding or removing l2tp:";
    }
    if ((a.tun() == null) != (b.tun() == null)) {
      return "adding or removing dataplane:";
    }
    return null;
  }

  /** Settings the reload does not apply (they are read once at start). */
  static List<String> restartNeeded(GatewayConfig a, GatewayConfig b) {
    List<String> out = new ArrayList<>();
    if (!a.listen().equals(b.listen())
        || a.ikePort() != b.ikePort()
        || a.natTPort() != b.natTPort()) {
      out.add("gateway.listen and ports");
    }
    if (!Objects.equals(a.tun(), b.tun())) {
      out.add("dataplane");
    }
    var ra = a.remoteAccess();
    var rb = b.remoteAccess();
    if (ra != null && rb != null && !ra.pool().equals(rb.pool())) {
      out.add("remote_access.pool");
    }
    if (ra != null && rb != null && ra.idleTimeoutSeconds() != rb.idleTimeoutSeconds()) {
      out.add("remote_access.idle_timeout");
    }
    if (a.l2tp() != null && b.l2tp() != null && !l2tpText(a.l2tp()).equals(l2tpText(b.l2tp()))) {
      out.add("l2tp");
    }
    if (!peersText(a).equals(peersText(b))) {
      out.add("peers");
    }
    if (!a.control().equals(b.control())) {
      out.add("control");
    }
    if (!a.limits().guessing().equals(b.limits().guessing())) {
      out.add("limits.guessing");
    }
    if (a.resumeSas() != b.resumeSas()) {
      out.add("state.resume_sas");
    }
    return out;
  }

  private static String l2tpText(GatewayConfig.L2tpConfig l) {
    return List.of(
            l.auth(),
            l.helloSeconds(),
            l.lcpEchoSeconds(),
            l.lcpEchoFailures(),
            String.valueOf(l.hostName()),
            l.hideAvps(),
            l.secret() != null)
        .toString();
  }

  private static String peersText(GatewayConfig c) {
    return c.peers().stream()
        .map(
            p ->
                List.of(
                        p.name(),
                        p.remote(),
                        String.valueOf(p.id()),
                        p.aggressive(),
                        p.localSubnets(),
                        p.remoteSubnets(),
                        p.start())
                    .toString())
        .toList()
        .toString();
  }
}
