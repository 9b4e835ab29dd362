package dev.coati.ike;

import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.AttributePayload;
import dev.coati.ike.wire.CfgAttr;
import dev.coati.util.LogSafe;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * The road warrior's way in after phase 1 (the gateway is the Xauth "edge device"): Xauth
 * REQUEST/REPLY for user name and password, SET/ACK with XAUTH_STATUS, bounded retries, then mode
 * config answered (pull: the client's REQUEST, REPLY) or pushed (SET, ACK). Quick mode waits until
 * Xauth succeeded. Work that starts an exchange while the engine is inside {@code receive} is
 * deferred until the engine has finished with the message (it drains {@link #runDeferred}).
 */
final class RemoteAccessFlow {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  /** Where one SA's remote-access state stands. */
  private static final class Session {
    int attempts;
    String user;
    boolean passed;
    boolean authenticated;
  }

  private final IkeEngine engine;
  private final IkeContext ctx;
  private final Map<IkeSa, Session> sessions = new IdentityHashMap<>();
  private final Queue<Runnable> deferred = new ArrayDeque<>();
  private boolean busy;

  RemoteAccessFlow(IkeEngine engine, IkeContext ctx) {
    this.engine = engine;
    this.ctx = ctx;
  }

  /**
   * Phase 1 is up: a responder SA negotiated with an Xauth method asks for credentials. Returns
   * whether Xauth runs on it.
   */
  boolean phase1Up(IkeSa sa) {
    RemoteAccess ra = ctx.policy().remoteAccess();
    int method = sa.transform().map(Phase1Transform::authMethod).orElse(0);
    if (sa.isInitiator() || ra == null || !IkeAuth.initiatorIsXauthClient(method)) {
      return false;
    }
    Session s = new Session();
    sessions.put(sa, s);
    later(() -> request(sa, s));
    return true;
  }

  /** Quick mode only after Xauth (when the SA runs it). */
  boolean quickModeAllowed(IkeSa sa) {
    Session s = sessions.get(sa);
    return s == null || s.authenticated;
  }

  /**
   * A transaction exchange the peer started: as gateway, mode config pull (REQUEST) gets our REPLY;
   * as Xauth client, the gateway's credential REQUEST and status or configuration SET.
   */
  Task responder(IkeSa sa) {
    RemoteAccess.Credentials creds = sa.isInitiator() ? ctx.policy().xauthCredentials(sa) : null;
    if (creds != null) {
      return TransactionTask.responder(
          sa,
          msg -> XauthClient.answer(sa, creds, msg, () -> later(() -> pull(sa)), ctx.listener()));
    }
    return TransactionTask.responder(sa, msg -> answer(sa, msg));
  }

  private void pull(IkeSa sa) {
    if (sa.state() == IkeSa.State.ESTABLISHED) {
      AttributePayload req = XauthClient.pullRequest(identifier());
      start(
          sa,
          TransactionTask.initiator(
              sa, req, r -> XauthClient.replied(sa, r, ctx.listener()), () -> {}));
    }
  }

  void removed(IkeSa sa) {
    sessions.remove(sa);
  }

  /** Runs deferred work; the engine calls it after each message and timer tick. */
  void runDeferred() {
    Runnable r;
    int guard = 0;
    while ((r = deferred.poll()) != null && guard++ < 1000) {
      r.run();
    }
  }

  void busy(boolean b) {
    this.busy = b;
  }

  private void later(Runnable r) {
    if (busy) {
      deferred.add(r);
    } else {
      r.run();
    }
  }

  private boolean alive(IkeSa sa) {
    return sa.state() == IkeSa.State.ESTABLISHED && sessions.containsKey(sa);
  }

  private void start(IkeSa sa, Task t) {
    if (sa.state() == IkeSa.State.ESTABLISHED) {
      sa.exchanges().start(sa.exchanges().newMessageId(), t);
    }
  }

  private int identifier() {
    return ctx.random().nextInt() & 0xffff;
  }

  private void request(IkeSa sa, Session s) {
    if (!alive(sa)) {
      return;
    }
    s.attempts++;
    AttributePayload req =
        new AttributePayload(
            AttributePayload.CFG_REQUEST,
            identifier(),
            List.of(
                Attribute.tv(CfgAttr.XAUTH_TYPE, CfgAttr.XAUTH_TYPE_GENERIC),
                Attribute.tlv(CfgAttr.XAUTH_USER_NAME, new byte[0]),
                Attribute.tlv(CfgAttr.XAUTH_USER_PASSWORD, new byte[0])));
    Runnable timedOut =
        () ->
            later(
                () -> {
                  if (alive(sa) && !s.authenticated) {
                    engine.delete(sa, "Xauth timed out: no answer from the client");
                  }
                });
    start(sa, TransactionTask.initiator(sa, req, reply -> replied(sa, s, reply), timedOut));
  }

  private void replied(IkeSa sa, Session s, AttributePayload reply) {
    byte[] user = value(reply, CfgAttr.XAUTH_USER_NAME);
    byte[] password = value(reply, CfgAttr.XAUTH_USER_PASSWORD);
    if (user == null || password == null) {
      LOG.log(Level.INFO, "{0} Xauth reply without user name or password", sa.name());
      later(() -> status(sa, s, false));
      return;
    }
    ctx.policy()
        .remoteAccess()
        .xauth(sa, user, password)
        .whenComplete((r, e) -> later(() -> checked(sa, s, r, e)));
  }

  private void checked(IkeSa sa, Session s, RemoteAccess.XauthResult r, Throwable e) {
    if (!alive(sa)) {
      return;
    }
    if (e == null && r != null && r.ok()) {
      s.user = r.user();
      s.passed = true;
      LOG.log(Level.DEBUG, "{0} Xauth user {1} authenticated", sa.name(), LogSafe.value(r.user()));
      status(sa, s, true);
      return;
    }
    String why = e != null ? "authentication error" : r == null ? "no answer" : r.message();
    // DEBUG: the server logs failures rate-limited per address and a summary a minute (a guesser
    // must not get a line per guess)
    LOG.log(
        Level.DEBUG,
        "{0} Xauth attempt {1} failed: {2}",
        sa.name(),
        s.attempts,
        LogSafe.escape(why));
    if (s.attempts < ctx.policy().remoteAccess().maxXauthAttempts()) {
      request(sa, s);
    } else {
      status(sa, s, false);
    }
  }

  private void status(IkeSa sa, Session s, boolean ok) {
    if (!alive(sa)) {
      return;
    }
    AttributePayload set =
        new AttributePayload(
            AttributePayload.CFG_SET,
            identifier(),
            List.of(Attribute.tv(CfgAttr.XAUTH_STATUS, ok ? 1 : 0)));
    Runnable finished = () -> later(() -> statusDone(sa, s, ok));
    start(sa, TransactionTask.initiator(sa, set, ack -> finished.run(), finished));
  }

  private void statusDone(IkeSa sa, Session s, boolean ok) {
    if (!alive(sa) || s.authenticated) {
      return;
    }
    if (!ok) {
      engine.delete(sa, "Xauth failed");
      return;
    }
    s.authenticated = true;
    sa.setUser(s.user);
    if (ctx.policy().remoteAccess().push(sa)) {
      push(sa, s);
    }
  }

  private void push(IkeSa sa, Session s) {
    Optional<RemoteAccess.ClientConfig> cfg = config(sa, s);
    if (cfg.isEmpty()) {
      return;
    }
    boolean unity = sa.peerFeatures().contains(PeerFeature.CISCO_UNITY);
    List<Attribute> attrs = ModeConfigAttributes.encode(cfg.get(), null, unity);
    AttributePayload set = new AttributePayload(AttributePayload.CFG_SET, identifier(), attrs);
    start(sa, TransactionTask.initiator(sa, set, ack -> {}, () -> {}));
  }

  private AttributePayload answer(IkeSa sa, AttributePayload msg) {
    if (ctx.policy().remoteAccess() == null) {
      return null; // neither gateway nor Xauth client: nothing to say
    }
    if (msg.cfgType() != AttributePayload.CFG_REQUEST) {
      LOG.log(Level.INFO, "{0} ignored mode config type {1}", sa.name(), msg.cfgType());
      return null;
    }
    Session s = sessions.get(sa);
    // a client asks only after our XAUTH_STATUS=1, which may overtake its ACK of that SET
    if (s != null && !s.passed) {
      LOG.log(Level.INFO, "{0} mode config request before Xauth finished", sa.name());
      return null;
    }
    if (s == null && !ctx.policy().modeConfigWithoutXauth(sa)) {
      LOG.log(Level.INFO, "{0} mode config request without Xauth: refused", sa.name());
      return null;
    }
    Optional<RemoteAccess.ClientConfig> cfg = config(sa, s);
    if (cfg.isEmpty()) {
      return null;
    }
    Set<Integer> asked = new HashSet<>();
    for (Attribute a : msg.attributes()) {
      asked.add(a.type());
    }
    return new AttributePayload(
        AttributePayload.CFG_REPLY,
        msg.identifier(),
        ModeConfigAttributes.encode(cfg.get(), asked, true));
  }

  private Optional<RemoteAccess.ClientConfig> config(IkeSa sa, Session s) {
    RemoteAccess ra = ctx.policy().remoteAccess();
    if (ra == null) {
      return Optional.empty();
    }
    String user = s != null ? s.user : sa.peerId().map(Object::toString).orElse(sa.name());
    Optional<RemoteAccess.ClientConfig> cfg = ra.clientConfig(sa, user);
    if (cfg.isEmpty()) {
      LOG.log(
          Level.INFO,
          "{0} no configuration for user={1}: deleting",
          sa.name(),
          LogSafe.value(user));
      later(() -> engine.delete(sa, "no address for the client"));
      return cfg;
    }
    if (cfg.get().address() != null) {
      sa.setVirtualAddress(cfg.get().address());
      engine.adoptExpired(sa);
    }
    return cfg;
  }

  private static byte[] value(AttributePayload p, int type) {
    for (Attribute a : p.attributes()) {
      if (a.type() == type) {
        return a.value();
      }
    }
    return null;
  }
}
