package dev.coati.server.policy;

import dev.coati.auth.Authenticator;
import dev.coati.auth.ChainAuthenticator;
import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.auth.UsersFileException;
import dev.coati.config.GatewayConfig;
import dev.coati.ike.IkePolicy;
import dev.coati.pool.AddressPool;
import dev.coati.server.auth.FairAuthQueue;
import dev.coati.server.auth.UsersFileReader;
import dev.coati.server.radius.RadiusAccounting;
import dev.coati.server.radius.RadiusAuthenticator;
import dev.coati.server.radius.RadiusClient;
import dev.coati.server.radius.RadiusSetup;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/** Builds the road-warrior service from the configuration: users file, pool, auth workers. */
public final class RemoteAccessSetup {
  private RemoteAccessSetup() {}

  /**
   * The users, the address pool and the auth workers: shared by Xauth and L2TP/PPP. {@code
   * accounting}: RADIUS accounting when {@code radius.accounting} is on, else null.
   */
  /** Checks waiting per source, and in all, before further ones fail as "queue full". */
  static final int AUTH_QUEUE_PER_SOURCE = 8;

  static final int AUTH_QUEUE_TOTAL = 1024;

  public record Aaa(
      Authenticator auth, AddressPool pool, ExecutorService workers, RadiusAccounting accounting) {}

  /**
   * Loads the users file (every bad line reported with its line number), connects RADIUS as {@code
   * users.source} says, and makes the pool; credentials are checked on two daemon worker threads (a
   * RADIUS exchange blocks one of them).
   */
  public static Aaa aaa(GatewayConfig config, PrintStream out) throws IOException {
    GatewayConfig.RemoteAccessConfig ra = config.remoteAccess();
    LocalUsers users;
    try {
      users =
          config.usersFile() == null
              ? LocalUsers.empty()
              : new UsersFileReader(config.usersFile(), out).load();
    } catch (UsersFileException e) {
      throw new IOException(e.getMessage(), e);
    }
    LocalAuthenticator local = new LocalAuthenticator(users);
    GatewayConfig.RadiusConfig rc = config.radius();
    RadiusClient client = rc == null ? null : RadiusSetup.client(rc, out);
    Authenticator auth =
        switch (config.usersSource()) {
          case LOCAL -> local;
          case RADIUS -> new RadiusAuthenticator(client, rc.nasIdentifier(), rc.framedIpRequired());
          case LOCAL_THEN_RADIUS ->
              new ChainAuthenticator(
                  local,
                  new RadiusAuthenticator(client, rc.nasIdentifier(), rc.framedIpRequired()));
        };
    RadiusAccounting accounting =
        rc != null && rc.accounting()
            ? new RadiusAccounting(client, rc.nasIdentifier(), out)
            : null;
    if (rc != null) {
      out.println(
          "coati: RADIUS "
              + RadiusSetup.describe(rc)
              + ", users "
              + config.usersSource().name().toLowerCase(Locale.ROOT).replace('_', '-')
              + ", accounting "
              + (accounting != null ? "on" : "off"));
    }
    GatewayConfig.Tun tun = config.tun();
    AddressPool pool = AddressPool.of(ra.pool(), Ipv4Address.parse(tun.address()));
    ExecutorService workers = new FairAuthQueue(2, AUTH_QUEUE_PER_SOURCE, AUTH_QUEUE_TOTAL);
    out.println(
        "coati: remote access "
            + ra.auth()
            + ", pool "
            + ra.pool()
            + " ("
            + pool.capacity()
            + " addresses), "
            + users.users().size()
            + " users, mode config "
            + (ra.push() ? "push" : "pull"));
    return new Aaa(auth, pool, workers, accounting);
  }

  /** The road-warrior service over {@code aaa}; results go back through {@code engineThread}. */
  public static RemoteAccessService create(
      GatewayConfig config, Aaa aaa, Executor engineThread, PrintStream out) {
    return new RemoteAccessService(
        config.remoteAccess(),
        config.tun().prefix(),
        config.pfs() == IkePolicy.PfsPolicy.REQUIRED,
        aaa.auth(),
        aaa.pool(),
        aaa.workers(),
        engineThread,
        out);
  }
}
