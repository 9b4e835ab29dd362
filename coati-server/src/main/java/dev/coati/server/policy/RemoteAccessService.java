package dev.coati.server.policy;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.Authenticator;
import dev.coati.config.GatewayConfig;
import dev.coati.ike.IkeListener;
import dev.coati.ike.IkeSaView;
import dev.coati.ike.RemoteAccess;
import dev.coati.pool.AddressPool;
import dev.coati.pool.LeaseResult;
import dev.coati.server.auth.FairAuthQueue;
import dev.coati.server.dataplane.DataPlane;
import dev.coati.server.dataplane.Traffic;
import dev.coati.server.events.SessionEvent;
import dev.coati.server.events.SessionEvents;
import dev.coati.server.log.Kv;
import dev.coati.server.log.LogSetup;
import dev.coati.server.sessions.UserSessions;
import dev.coati.util.Ipv4Address;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Road warriors on the server side: Xauth credentials checked by the {@link Authenticator} on a
 * worker (a salted hash costs a good part of a second: never on the socket thread), the result
 * handed back to the socket thread; mode config from the {@code remote_access:} section with an
 * address leased from the pool per IKE SA, released when the SA goes.
 */
public final class RemoteAccessService implements RemoteAccess, IkeListener {
  private volatile GatewayConfig.RemoteAccessConfig cfg;
  private final int prefix;
  private final boolean pfs;
  private final Authenticator auth;
  private final AddressPool pool;
  private final Executor workers;
  private final Executor engineThread;
  private final PrintStream log;
  private final Map<String, AuthResult> authenticated = new HashMap<>();
  private final Map<String, String> userOfSa = new HashMap<>();
  private final Map<String, String> peerOfSa = new HashMap<>();
  private final Map<String, IkeSaView> saByName = new HashMap<>();
  // "user\npeer" -> the SA holding that user's lease from that address and port: the lookup of
  // a re-authentication is one get, not a pass over every session per handshake
  private final Map<String, String> saOfUserAtPeer = new HashMap<>();
  private UserSessions sessions =
      new UserSessions(SessionEvents.NONE, System::currentTimeMillis, 0, LogSetup.events());
  private DataPlane dataPlane;

  /**
   * @param prefix the prefix of the clients' addresses (the TUN device's)
   * @param pfs whether quick mode requires PFS (told to Cisco clients as UNITY_PFS)
   * @param engineThread runs work on the thread that owns the engine (the socket loop)
   */
  public RemoteAccessService(
      GatewayConfig.RemoteAccessConfig cfg,
      int prefix,
      boolean pfs,
      Authenticator auth,
      AddressPool pool,
      Executor workers,
      Executor engineThread,
      PrintStream log) {
    this.cfg = cfg;
    this.prefix = prefix;
    this.pfs = pfs;
    this.auth = auth;
    this.pool = pool;
    this.workers = workers;
    this.engineThread = engineThread;
    this.log = log;
  }

  /**
   * Where sessions are recorded (their up, down and failed-authentication events) and the data
   * plane that counts their traffic (null: none); set before the engine runs.
   */
  public void sessions(UserSessions s, DataPlane dp) {
    this.sessions = s;
    this.dataPlane = dp;
  }

  @Override
  public CompletionStage<XauthResult> xauth(IkeSaView sa, byte[] user, byte[] password) {
    AuthRequest.Plain request = AuthRequest.Plain.fromWire(user, password.clone());
    Arrays.fill(password, (byte) 0);
    CompletableFuture<XauthResult> done = new CompletableFuture<>();
    String source = address(sa);
    Runnable check =
        () -> {
          AuthResult r;
          try {
            r = auth.authenticate(request, source).toCompletableFuture().join();
          } catch (RuntimeException e) {
            r = AuthResult.failure(request.user(), "authentication error: " + e.getMessage(), 0);
          }
          AuthResult result = r;
          engineThread.execute(() -> finish(sa, result, done));
        };
    AuthResult busy = AuthResult.failure(request.user(), "authentication queue full", 0);
    workers.execute(
        new FairAuthQueue.Keyed(
            source, check, () -> engineThread.execute(() -> finish(sa, busy, done))));
    return done;
  }

  private void finish(IkeSaView sa, AuthResult r, CompletableFuture<XauthResult> done) {
    if (r.success()) {
      authenticated.put(sa.name(), r);
    } else {
      sessions
          .events()
          .emit(SessionEvent.authFailed("xauth", r.user(), sa.peer().toString(), r.reason()));
    }
    if (r.success() || sessions.events().logFailure(address(sa), log)) {
      log.println(
          r.success()
              ? LoggingListener.authenticated(sa, r.user())
              : Kv.line(sa.name(), "Xauth failed")
                  .add("user", r.user())
                  .add("peer", sa.peer())
                  .add("reason", r.reason())
                  .toString());
    }
    done.complete(new XauthResult(r.success(), r.user(), r.reason()));
  }

  @Override
  public Optional<ClientConfig> clientConfig(IkeSaView sa, String user) {
    AuthResult a = authenticated.get(sa.name());
    Ipv4Address fixed = a == null ? null : a.staticAddress().orElse(null);
    int max = a == null ? 0 : a.maxSessions().orElse(0);
    boolean tookOver = takeOverReauthenticated(sa, user);
    LeaseResult r = pool.lease(user, sa.name(), fixed, max, System.currentTimeMillis());
    if (r instanceof LeaseResult.Refused no) {
      log.println(Kv.line(sa.name(), "no address").add("user", user).add("reason", no.message()));
      return Optional.empty();
    }
    Ipv4Address address = ((LeaseResult.Granted) r).lease().address();
    saOfUserAtPeer.put(userAtPeer(user, sa.peer().toString()), sa.name());
    if (userOfSa.put(sa.name(), user) == null && !tookOver) {
      log.println(
          Kv.line(sa.name(), "address assigned")
              .add("user", user)
              .add("address", address)
              .add("peer", sa.peer()));
      sessions.up(
          SessionEvent.up("xauth", sa.name(), user, sa.peer().toString(), address.toString()),
          a == null ? AuthResult.Session.NONE : a.session(),
          () -> traffic(sa));
    }
    return Optional.of(
        new ClientConfig(
            address.bytes(),
            prefix,
            bytes(cfg.dns()),
            bytes(cfg.nbns()),
            cfg.domain(),
            cfg.banner(),
            cfg.splitInclude(),
            cfg.savePassword(),
            cfg.splitDns(),
            pfs));
  }

  /**
   * A road warrior's SA resumed after a restart (server.sessions.SaRestore): its address is leased
   * to it again (held for its user since the restart) and its session starts anew (a new accounting
   * Start; the Stop of the session before the crash was lost with the process). SAs without a user
   * and address (site-to-site) need nothing; false when the address cannot be had.
   */
  public boolean resumed(IkeSaView sa) {
    String user = sa.user().orElse(null);
    byte[] vip = sa.virtualAddress().orElse(null);
    if (user == null || vip == null) {
      return true;
    }
    Ipv4Address wanted = Ipv4Address.of(vip);
    LeaseResult r = pool.lease(user, sa.name(), wanted, 0, System.currentTimeMillis());
    if (r instanceof LeaseResult.Refused no) {
      log.println(Kv.line(sa.name(), "not resumed").add("user", user).add("reason", no.message()));
      return false;
    }
    userOfSa.put(sa.name(), user);
    peerOfSa.put(sa.name(), sa.peer().toString());
    saByName.put(sa.name(), sa);
    log.println(
        Kv.line(sa.name(), "session resumed")
            .add("user", user)
            .add("address", wanted)
            .add("peer", sa.peer()));
    sessions.up(
        SessionEvent.up("xauth", sa.name(), user, sa.peer().toString(), wanted.toString()),
        AuthResult.Session.NONE,
        () -> traffic(sa));
    return true;
  }

  /**
   * A client that re-authenticates phase 1 (same user, same public address and port) runs Xauth and
   * mode config again on the new SA while the old one still holds its lease: the lease moves to the
   * new SA, so the client keeps its address (the old SA's IPsec SAs move along too).
   */
  private boolean takeOverReauthenticated(IkeSaView sa, String user) {
    String peer = sa.peer().toString();
    String old = saOfUserAtPeer.get(userAtPeer(user, peer));
    if (old != null
        && (old.equals(sa.name())
            || !user.equals(userOfSa.get(old))
            || !peer.equals(peerOfSa.get(old)))) {
      old = null;
    }
    boolean moved = false;
    if (old != null) {
      saOfUserAtPeer.remove(userAtPeer(user, peer));
      userOfSa.remove(old);
      peerOfSa.remove(old);
      pool.release(user, old);
      log.println(
          Kv.line(sa.name(), "takes over the address")
              .add("from", old)
              .add("user", user)
              .add("reason", "re-authentication"));
      // The session goes on: the old SA's deleted children stay counted; its live ones count
      // under the old SA until they move to the new one when the old one is deleted (their
      // counters move with them), then under the new one.
      IkeSaView gone = saByName.get(old);
      DataPlane dp = gone == null ? null : dataPlane;
      moved =
          dp == null
              ? sessions.rename(old, sa.name(), Traffic.ZERO, () -> traffic(sa))
              : sessions.rename(
                  old,
                  sa.name(),
                  dp.retiredTraffic(gone),
                  () -> dp.sessionTraffic(sa).plus(dp.liveTraffic(gone)));
    }
    peerOfSa.put(sa.name(), peer);
    saByName.put(sa.name(), sa);
    return moved;
  }

  private static String userAtPeer(String user, String peer) {
    return user + "\n" + peer;
  }

  private Traffic traffic(IkeSaView sa) {
    return dataPlane == null ? Traffic.ZERO : dataPlane.sessionTraffic(sa);
  }

  @Override
  public boolean push(IkeSaView sa) {
    return cfg.push();
  }

  @Override
  public int maxXauthAttempts() {
    return cfg.xauthAttempts();
  }

  @Override
  public void ikeDeleted(IkeSaView sa, String reason) {
    authenticated.remove(sa.name());
    String peer = peerOfSa.remove(sa.name());
    saByName.remove(sa.name());
    String user = userOfSa.remove(sa.name());
    if (user != null && peer != null) {
      saOfUserAtPeer.remove(userAtPeer(user, peer), sa.name());
    }
    if (user != null) {
      pool.release(user, sa.name())
          .ifPresent(
              l ->
                  log.println(
                      Kv.line(sa.name(), "address released")
                          .add("user", user)
                          .add("address", l.address())));
      sessions.down(sa.name(), reason);
    }
    if (dataPlane != null) {
      dataPlane.forget(sa);
    }
  }

  /**
   * A reloaded {@code remote_access:} section (socket thread): DNS, domain, banner, split tunnels,
   * push and Xauth attempts apply to clients that connect from now on (the pool does not change).
   */
  public void replace(GatewayConfig.RemoteAccessConfig next) {
    this.cfg = next;
  }

  /** Leases held now (for tests and, later, status). */
  public int leases() {
    return pool.leases().size();
  }

  /** The peer's address without the port: failures are rate-limited per address. */
  static String address(IkeSaView sa) {
    String p = sa.peer().toString();
    return p.substring(0, p.lastIndexOf(':'));
  }

  private static List<byte[]> bytes(List<String> addresses) {
    return addresses.stream().map(s -> Ipv4Address.parse(s).bytes()).toList();
  }
}
