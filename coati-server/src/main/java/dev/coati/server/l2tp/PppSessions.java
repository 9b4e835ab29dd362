package dev.coati.server.l2tp;

import dev.coati.auth.Authenticator;
import dev.coati.pool.AddressPool;
import dev.coati.ppp.PppSession;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.events.SessionEvents;
import dev.coati.server.log.LogSetup;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import dev.coati.util.RandomSource;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What every PPP session of the LNS shares: the PPP settings, the users (checked on worker threads,
 * the verdict handed back to the socket thread), the address pool of remote access, the DNS and
 * NBNS servers, the data plane that takes the clients' packets, and the idle timeout.
 */
public final class PppSessions {
  final PppSession.Config config;
  final RandomSource random;
  final Authenticator auth;
  final Executor workers;
  final Executor engineThread;
  final AddressPool pool;
  final Ipv4Address gateway;
  final List<Ipv4Address> dns;
  final List<Ipv4Address> nbns;
  final DataPlane dataPlane;
  final long idleMillis;
  final int maxMss;
  final LongSupplier clock;
  final PrintStream log;
  final L2tpServer server;
  UserSessions sessions =
      new UserSessions(SessionEvents.NONE, System::currentTimeMillis, 0, LogSetup.events());

  /** Wiring of the sessions; see the fields. {@code maxMss}: from the TUN MTU. */
  public record Wiring(
      PppSession.Config config,
      RandomSource random,
      Authenticator auth,
      Executor workers,
      Executor engineThread,
      AddressPool pool,
      Ipv4Address gateway,
      List<Ipv4Address> dns,
      List<Ipv4Address> nbns,
      DataPlane dataPlane,
      long idleMillis,
      int maxMss,
      LongSupplier clock,
      PrintStream log) {}

  public PppSessions(Wiring w, L2tpServer server) {
    this.config = w.config();
    this.random = w.random();
    this.auth = w.auth();
    this.workers = w.workers();
    this.engineThread = w.engineThread();
    this.pool = w.pool();
    this.gateway = w.gateway();
    this.dns = w.dns();
    this.nbns = w.nbns();
    this.dataPlane = w.dataPlane();
    this.idleMillis = w.idleMillis();
    this.maxMss = w.maxMss();
    this.clock = w.clock();
    this.log = w.log();
    this.server = server;
    server.sessions(this);
  }

  /** Where sessions are recorded with their up, down and failure events (set before traffic). */
  public void sessions(UserSessions u) {
    this.sessions = u;
  }

  PppLink create(L2tpServer.Tunnel tunnel, int ourSessionId, int peerSessionId) {
    return new PppLink(this, tunnel, ourSessionId, peerSessionId);
  }
}
