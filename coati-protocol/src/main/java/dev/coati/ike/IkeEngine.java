package dev.coati.ike;

import dev.coati.ike.wire.DeletePayload;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpCodec;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.util.LogSafe;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IKEv1 engine: a table of IKE SAs keyed by initiator cookie, the dispatch of received
 * datagrams to them, and the operations the server drives (initiate, delete, tick). It does no I/O,
 * reads time only through the injected clock, and is not thread-safe: the server calls it from one
 * thread (or one serial executor).
 */
public final class IkeEngine {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");
  // lines about single unauthenticated packets: rate-limited by the server's log
  private static final System.Logger PACKET = System.getLogger("dev.coati.ike.packet");

  /** RFC 3948 section 4: keepalives every 20 s by default from the side behind the NAT. */
  static final long KEEPALIVE_MILLIS = 20_000;

  private final IkeContext ctx;
  private final Map<Long, IkeSa> sas = new HashMap<>();
  private final Map<IkeSa, List<ChildRequest>> pendingChildren = new HashMap<>();
  // SAs whose phase 1 expired while their IPsec SAs live on (adopted by the peer's next phase 1)
  private final Set<IkeSa> expiredPhase1 = new LinkedHashSet<>();
  private final EngineCounters counters = new EngineCounters();
  private final ChildRegistry children;
  private final SaLifetimes lifetimes = new SaLifetimes(this);
  private final RemoteAccessFlow remoteAccess;
  private final HalfOpenTable halfOpen;
  private final DecoyKeys decoys;
  private final IkeFragments fragments;

  public IkeEngine(IkeContext ctx) {
    this.fragments = new IkeFragments(ctx.policy());
    this.ctx = fragments.context(ctx, sas::get);
    this.children = new ChildRegistry(ctx, counters);
    this.remoteAccess = new RemoteAccessFlow(this, ctx);
    this.halfOpen = new HalfOpenTable(ctx.policy(), counters);
    this.decoys = new DecoyKeys(ctx.random());
  }

  public EngineCounters counters() {
    return counters;
  }

  public Collection<IkeSa> sas() {
    return List.copyOf(sas.values());
  }

  /** Handles one received IKE datagram (without any non-ESP marker). */
  public void receive(PeerAddress local, PeerAddress from, byte[] datagram) {
    remoteAccess.busy(true);
    try {
      dispatch(local, from, datagram);
    } finally {
      remoteAccess.busy(false);
    }
    remoteAccess.runDeferred();
  }

  private void dispatch(PeerAddress local, PeerAddress from, byte[] datagram) {
    IsakmpHeader hdr;
    try {
      hdr = IsakmpCodec.peekHeader(datagram);
    } catch (IkeProtocolException e) {
      counters.malformed++;
      return;
    }
    if (hdr.isCommit() && hdr.messageId() == 0) {
      counters.malformed++; // RFC 2408 3.1: no commit bit in phase 1 (racoon: INVALID-FLAGS)
      return;
    }
    IkeSa sa = sas.get(hdr.initiatorSpi());
    if (sa == null) {
      maybeStartResponder(local, from, hdr, datagram);
      return;
    }
    if (!cookieMatches(sa, hdr)
        || !Arrays.equals(from.address(), sa.peer().address())
        || (sa.phase1Expired() && !hdr.exchangeType().equals(ExchangeType.INFORMATIONAL))) {
      // an expired ISAKMP SA starts nothing new; the peer's Delete and DPD still count
      counters.unknownSa++;
      return;
    }
    if (sa.halfOpen() && hdr.responderSpi() == sa.responderCookie()) {
      halfOpen.release(sa); // the peer received our cookie: its address is real
    }
    PeerAddress peerBefore = sa.peer();
    PeerAddress localBefore = sa.local();
    boolean moved = from.port() != peerBefore.port() || local.port() != localBefore.port();
    if (moved) {
      if (sa.natVariant() == NatVariant.NONE) {
        counters.unknownSa++; // ports only move with NAT traversal
        return;
      }
      sa.updatePeer(from); // answers to this message go where it came from
      sa.updateLocal(local);
    }
    long authenticated = sa.authenticatedMessages();
    if (hdr.nextPayload().equals(PayloadType.FRAGMENT)) {
      reassemble(local, from, sa, hdr, datagram);
    } else {
      switch (sa.exchanges().receive(hdr, datagram, from)) {
        case UNKNOWN -> newExchange(sa, hdr, datagram, from);
        case DUPLICATE_ANSWERED -> counters.duplicatesAnswered++;
        case DUPLICATE_DROPPED -> counters.duplicatesDropped++;
        case PROCESSED -> {}
      }
    }
    if (moved && sa.authenticatedMessages() == authenticated) {
      // RFC 3947 section 5.2: only an authenticated message moves the SA (the cookies are on the
      // wire: anyone behind the peer's NAT could otherwise redirect its IKE and ESP)
      sa.updatePeer(peerBefore);
      sa.updateLocal(localBefore);
    }
    reap(sa);
    startPendingChildren(sa);
  }

  /** A fragment (payload 132): once the message is whole, it is handled like any datagram. */
  private void reassemble(
      PeerAddress local, PeerAddress from, IkeSa sa, IsakmpHeader hdr, byte[] datagram) {
    byte[] whole;
    try {
      whole = fragments.receive(sa, hdr, datagram);
    } catch (IkeProtocolException e) {
      counters.malformed++;
      LOG.log(Level.INFO, "{0} dropped fragment: {1}", sa.name(), e.getMessage());
      return;
    }
    if (whole != null) {
      dispatch(local, from, whole);
    }
  }

  /**
   * Starts quick modes queued while phase 1 ran. Done after the message that completed phase 1 was
   * fully handled (its IV committed, our last phase-1 message sent), since phase-2 IVs derive from
   * the last phase-1 CBC block.
   */
  private void startPendingChildren(IkeSa sa) {
    if (sa.state() != IkeSa.State.ESTABLISHED) {
      return;
    }
    List<ChildRequest> pending = pendingChildren.remove(sa);
    if (pending != null) {
      for (ChildRequest r : pending) {
        startChild(sa, r);
      }
    }
  }

  private static boolean cookieMatches(IkeSa sa, IsakmpHeader hdr) {
    if (hdr.responderSpi() == sa.responderCookie()) {
      return true;
    }
    // initiator: our first message is still unanswered and this reply brings the responder
    // cookie; responder: a retransmission of the peer's first message (still without it)
    return hdr.messageId() == 0
        && (sa.isInitiator() ? sa.responderCookie() == 0 : hdr.responderSpi() == 0);
  }

  private void maybeStartResponder(
      PeerAddress local, PeerAddress from, IsakmpHeader hdr, byte[] datagram) {
    ExchangeType et = hdr.exchangeType();
    boolean phase1 =
        et.equals(ExchangeType.IDENTITY_PROTECTION) || et.equals(ExchangeType.AGGRESSIVE);
    if (!phase1 || hdr.responderSpi() != 0 || hdr.messageId() != 0 || hdr.isEncrypted()) {
      counters.unknownSa++;
      return;
    }
    HalfOpenDrop refused = halfOpen.check(from.address(), et.equals(ExchangeType.AGGRESSIVE));
    if (refused != null) {
      halfOpen.count(refused);
      return;
    }
    IkeSa oldest = halfOpen.overflow();
    if (oldest != null) {
      dropHalfOpen(oldest, HalfOpenDrop.EVICTED);
    }
    long rcookie = 0;
    while (rcookie == 0) {
      rcookie = ctx.random().nextLong();
    }
    IkeSa sa = new IkeSa(false, hdr.initiatorSpi(), rcookie, local, from, et, ctx);
    Runnable done = () -> established(sa);
    Task task =
        et.equals(ExchangeType.AGGRESSIVE)
            ? new AggressiveModeTask(sa, ctx, decoys, done)
            : new MainModeTask(sa, ctx, done);
    sas.put(hdr.initiatorSpi(), sa);
    counters.ikeStarted++;
    sa.exchanges().receiveNew(0, task, hdr, datagram, from);
    reap(sa);
    if (sa.state() == IkeSa.State.CONNECTING) {
      halfOpen.add(sa, ctx.clock().millis());
    }
  }

  /**
   * Drops a half-open SA without a word to its (perhaps spoofed) source and without a log line per
   * SA: counted, and summarised once a minute by {@link HalfOpenTable#report}.
   */
  private void dropHalfOpen(IkeSa sa, HalfOpenDrop why) {
    halfOpen.count(why);
    halfOpen.release(sa);
    sas.remove(sa.initiatorCookie());
    sa.exchanges().abortAll(why.name());
    sa.setState(IkeSa.State.DELETED);
    sa.destroyKeys();
  }

  /** Removes an SA whose phase 1 failed (its exchange is gone while still connecting). */
  private void reap(IkeSa sa) {
    if (sa.state() == IkeSa.State.CONNECTING && !sa.exchanges().hasExchange(0)) {
      remove(sa, "phase 1 failed");
    }
  }

  private void newExchange(IkeSa sa, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    ExchangeType et = hdr.exchangeType();
    int mid = hdr.messageId();
    boolean phase2 = sa.state() == IkeSa.State.ESTABLISHED && hdr.isEncrypted() && mid != 0;
    if (phase2 && et.equals(ExchangeType.TRANSACTION)) {
      if (!sa.exchanges().receiveNew(mid, remoteAccess.responder(sa), hdr, datagram, from)) {
        counters.unhandled++;
      }
      return;
    }
    if (phase2 && et.equals(ExchangeType.QUICK_MODE)) {
      if (!remoteAccess.quickModeAllowed(sa)) {
        counters.unhandled++;
        PACKET.log(Level.INFO, "{0} quick mode before Xauth finished: ignored", sa.name());
        return;
      }
      Task qm = new QuickModeTask(sa, ctx, children.sink(sa));
      if (!sa.exchanges().receiveNew(mid, qm, hdr, datagram, from)) {
        counters.unhandled++;
      }
      return;
    }
    if (et.equals(ExchangeType.INFORMATIONAL)) {
      informational(sa, hdr, datagram, from);
      return;
    }
    counters.unhandled++;
    LOG.log(Level.DEBUG, "{0} ignored {1} exchange", sa.name(), et);
  }

  private void informational(IkeSa sa, IsakmpHeader hdr, byte[] datagram, PeerAddress from) {
    InboundMessage in;
    try {
      in = InboundMessage.read(sa, hdr, datagram, from);
      Informational.verify(sa, in);
    } catch (IkeProtocolException e) {
      counters.malformed++;
      if (hdr.isEncrypted() && sa.state() == IkeSa.State.CONNECTING) {
        // an encrypted notify before phase 1 finished that does not decrypt: the peer derived
        // other keys (aggressive mode: it could not verify our HASH_R), so the PSKs differ
        PACKET.log(
            Level.INFO,
            "{0} phase 1 authentication failed peer={1} mode={2} reason=\"the peer''s encrypted"
                + " notify did not decrypt: the pre-shared keys differ\"",
            sa.name(),
            sa.peer(),
            ProposalText.mode(sa.mode()));
      } else {
        PACKET.log(
            Level.INFO,
            "{0} dropped informational: {1}",
            sa.name(),
            LogSafe.escape(e.getMessage()));
      }
      return;
    } finally {
      if (hdr.isEncrypted()) {
        sa.ivs().remove(hdr.messageId());
      }
    }
    if (!in.encrypted()) {
      Informational.logUnprotected(sa, in);
      boolean error = in.all(NotifyPayload.class).stream().anyMatch(n -> n.notifyType().isError());
      if (error && sa.isInitiator() && sa.state() == IkeSa.State.CONNECTING) {
        remove(sa, "peer refused phase 1");
      }
      return;
    }
    sa.touch(ctx.clock().millis());
    sa.authenticated();
    Informational.notifies(sa, ctx, in);
    for (DeletePayload d : in.all(DeletePayload.class)) {
      peerDeleted(sa, d);
    }
  }

  private void peerDeleted(IkeSa sa, DeletePayload d) {
    if (d.protocolId().equals(ProtocolId.ISAKMP)) {
      if (d.spis().stream().anyMatch(spi -> Arrays.equals(spi, Informational.cookies(sa)))) {
        children.adopt(sa, sas.values());
        remove(sa, "deleted by peer");
      }
    } else if (d.protocolId().equals(ProtocolId.IPSEC_ESP)) {
      children.dropByOutboundSpis(sa, d.spis());
    }
  }

  private void established(IkeSa sa) {
    sa.setState(IkeSa.State.ESTABLISHED);
    counters.ikeEstablished++;
    LOG.log(
        Level.DEBUG,
        "{0} established with {1} ({2}, {3})",
        sa.name(),
        sa.peer(),
        sa.mode(),
        sa.transform().orElseThrow());
    ctx.listener().ikeEstablished(sa);
    lifetimes.established(sa);
    if (!remoteAccess.phase1Up(sa)) {
      adoptExpired(sa);
    }
  }

  /**
   * A new phase 1 (for a road warrior: once mode config gave it its address back, so the lease and
   * session stay one) adopts the IPsec SAs of the peer's expired ISAKMP SA, which then goes.
   */
  void adoptExpired(IkeSa heir) {
    if (!expiredPhase1.isEmpty()) {
      children.adoptExpired(
          heir, expiredPhase1, old -> remove(old, "replaced by a newer ISAKMP SA"));
    }
  }

  /** {@code sa}'s phase 1 expired; its IPsec SAs live on until a new phase 1 adopts them. */
  void phase1Expired(IkeSa sa) {
    expiredPhase1.add(sa);
  }

  /** The last child of an expired ISAKMP SA is gone: so is the SA. */
  void removeExpired(IkeSa sa) {
    remove(sa, "lifetime expired");
  }

  /**
   * Puts back an ISAKMP SA and its IPsec SAs saved before a restart ({@link SaResumption}): it is
   * established at once and the listener hears of it and of each child as if just negotiated. The
   * snapshot's keys belong to the engine now. Refused (false, keys destroyed) when an SA with its
   * cookie or one of its inbound SPIs is already here: null, the keys destroyed.
   */
  public IkeSa resume(SaSnapshot s) {
    if (sas.containsKey(s.initiatorCookie()) || !children.reserve(s)) {
      s.destroy();
      return null;
    }
    IkeSa sa = SaResumption.restore(s, ctx);
    sas.put(sa.initiatorCookie(), sa);
    LOG.log(Level.INFO, "{0} resumed with {1} after a restart", sa.name(), sa.peer());
    ctx.listener().ikeEstablished(sa);
    for (SaSnapshot.Child c : s.children()) {
      children.resumed(sa, c.sa());
    }
    return sa;
  }

  /** Starts phase 1 towards a peer, main mode or aggressive mode. */
  public IkeSa initiate(PeerAddress local, PeerAddress peer, ExchangeType mode) {
    return initiate(local, peer, mode, false);
  }

  /** With {@code reauth}: a re-authentication of an existing SA (sends no INITIAL-CONTACT). */
  IkeSa initiate(PeerAddress local, PeerAddress peer, ExchangeType mode, boolean reauth) {
    if (!mode.equals(ExchangeType.IDENTITY_PROTECTION) && !mode.equals(ExchangeType.AGGRESSIVE)) {
      throw new IllegalArgumentException("phase 1 mode must be main or aggressive: " + mode);
    }
    long icookie = 0;
    while (icookie == 0 || sas.containsKey(icookie)) {
      icookie = ctx.random().nextLong();
    }
    IkeSa sa = new IkeSa(true, icookie, 0, local, peer, mode, ctx);
    sa.reauthentication(reauth);
    Runnable done = () -> established(sa);
    Task task =
        mode.equals(ExchangeType.AGGRESSIVE)
            ? new AggressiveModeTask(sa, ctx, decoys, done)
            : new MainModeTask(sa, ctx, done);
    sas.put(icookie, sa);
    counters.ikeStarted++;
    sa.exchanges().start(0, task);
    return sa;
  }

  /** Negotiates a child SA on an IKE SA (queued until phase 1 completes). */
  public void initiateChild(IkeSa sa, ChildRequest request) {
    if (sa.state() == IkeSa.State.ESTABLISHED) {
      startChild(sa, request);
    } else if (sa.state() == IkeSa.State.CONNECTING) {
      pendingChildren.computeIfAbsent(sa, k -> new ArrayList<>()).add(request);
    } else {
      throw new IllegalStateException(sa.name() + " is " + sa.state());
    }
  }

  void startChild(IkeSa sa, ChildRequest request) {
    int mid = sa.exchanges().newMessageId();
    sa.exchanges().start(mid, new QuickModeTask(sa, ctx, children.sink(sa), request));
  }

  /** Deletes a child SA politely: a Delete to the peer, then locally. */
  public void deleteChild(IkeSa sa, ChildSa child) {
    if (sa.state() == IkeSa.State.ESTABLISHED) {
      Informational.sendDeleteChildren(sa, List.of(child));
    }
    children.drop(sa, child);
  }

  /**
   * Retires an ISAKMP SA after a newer one with the same peer is up (phase-1 reauthentication):
   * only the ISAKMP SA is deleted; its IPsec SAs move to the newer one on both sides.
   */
  public void retire(IkeSa sa) {
    if (sa.state() == IkeSa.State.ESTABLISHED && !sa.phase1Expired()) {
      Informational.sendDeleteIke(sa);
    }
    children.adopt(sa, sas.values());
    remove(sa, "replaced by a newer ISAKMP SA");
  }

  /**
   * Whether {@code spi} is an inbound SPI this engine handed out: a child's, or one offered in a
   * quick mode that is not finished yet (ESP for it may arrive just before the answer does).
   */
  public boolean spiAllocated(int spi) {
    return children.allocated(spi);
  }

  /** Deletes the SA behind {@code view} if still ours (idle timeout, an operator's kick). */
  public void kick(IkeSaView view, String reason) {
    if (view instanceof IkeSa sa && sas.get(sa.initiatorCookie()) == sa) {
      delete(sa, reason);
    }
  }

  /** Deletes an IKE SA and its children politely (Delete notifies), then locally. */
  public void delete(IkeSa sa, String reason) {
    if (sa.state() == IkeSa.State.ESTABLISHED) {
      Informational.sendDeleteIkeAndChildren(sa, sa.children());
    }
    remove(sa, reason);
  }

  private void remove(IkeSa sa, String reason) {
    if (sas.remove(sa.initiatorCookie()) == null) {
      return;
    }
    expiredPhase1.remove(sa);
    halfOpen.release(sa);
    pendingChildren.remove(sa);
    fragments.removed(sa);
    lifetimes.removed(sa);
    remoteAccess.removed(sa);
    sa.exchanges().abortAll(reason);
    for (ChildSa c : sa.children()) {
      children.drop(sa, c);
    }
    boolean wasUp = sa.state() == IkeSa.State.ESTABLISHED;
    sa.setState(IkeSa.State.DELETED);
    sa.destroyKeys();
    counters.ikeDeleted++;
    LOG.log(Level.DEBUG, "{0} deleted: {1}", sa.name(), reason);
    if (!wasUp) {
      counters.ikeFailed++;
    }
    ctx.listener().ikeDeleted(sa, reason);
  }

  /** A child's traffic passed its soft (the negotiator rekeys) or hard (delete) volume. */
  public void childVolumeReached(IkeSaView view, ChildSa child, boolean hard) {
    if (view instanceof IkeSa sa && sas.get(sa.initiatorCookie()) == sa) {
      lifetimes.volume(sa, child, hard);
    }
  }

  /** The data plane saw authenticated traffic from this SA's peer (keeps DPD quiet). */
  public void trafficSeen(IkeSaView sa) {
    if (sa instanceof IkeSa s) {
      s.touch(ctx.clock().millis());
    }
  }

  /** Runs timers: retransmits, exchange timeouts, DPD, IKE SA lifetimes. Call it every second. */
  public void tick() {
    remoteAccess.busy(true);
    try {
      timers(ctx.clock().millis());
    } finally {
      remoteAccess.busy(false);
    }
    remoteAccess.runDeferred();
  }

  private void timers(long now) {
    for (IkeSa old = halfOpen.expired(now); old != null; old = halfOpen.expired(now)) {
      dropHalfOpen(old, HalfOpenDrop.TIMEOUT);
    }
    String report = halfOpen.report(now);
    if (report != null) {
      LOG.log(Level.INFO, report);
    }
    for (IkeSa sa : List.copyOf(sas.values())) {
      if (sa.halfOpen()) {
        sa.exchanges().tick(); // at most one resend (aggressive mode); the timeout is above
        continue;
      }
      if (sa.phase1Expired()) {
        lifetimes.tick(sa, now);
        continue;
      }
      if (sa.exchanges().tick()) {
        remove(sa, "phase 1 timed out");
        continue;
      }
      if (sa.state() == IkeSa.State.ESTABLISHED
          && sa.dpd()
                  .tick(
                      sa,
                      now,
                      ctx.policy().dpdDelaySeconds() * 1000,
                      ctx.policy().dpdTimeoutSeconds() * 1000)
              == DeadPeerDetection.Verdict.DEAD) {
        remove(sa, "DPD timeout");
        continue;
      }
      if (!lifetimes.tick(sa, now)) {
        continue;
      }
      if (sa.state() == IkeSa.State.ESTABLISHED && sa.keepaliveDue(now, KEEPALIVE_MILLIS)) {
        ctx.outbox().keepalive(sa.local(), sa.peer());
      }
    }
  }
}
