package dev.coati.ike;

import static dev.coati.ike.MainModeTask.missing;
import static dev.coati.ike.QuickModeMessages.encode;
import static dev.coati.ike.QuickModeMessages.rest;
import static dev.coati.ike.QuickModeMessages.verifyHash;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IsakmpHeader;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NatOaPayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.NotifyPayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Payload;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.List;

/**
 * Quick mode (RFC 2409 section 5.5), both roles, with or without PFS, tunnel or transport, with
 * optional client IDs, lifetimes, and the commit bit (RFC 2408 section 3.1): an initiator that sets
 * it gets it echoed, and the responder sends CONNECTED after HASH(3); an initiator that sees the
 * bit in HASH(2)'s message installs its SA only when CONNECTED arrives.
 *
 * <pre>
 *   Initiator                                   Responder
 *   HDR*, HASH(1), SA, Ni [,KE] [,IDci,IDcr] --&gt;
 *                   &lt;--  HDR*, HASH(2), SA, Nr [,KE] [,IDci,IDcr] [,N(RESPONDER-LIFETIME)]
 *   HDR*, HASH(3)                           --&gt;
 *                   &lt;--  HDR*, HASH, N(CONNECTED)       (only if the commit bit was set)
 * </pre>
 */
final class QuickModeTask implements Task {
  private enum State {
    INIT,
    SENT,
    ANSWERED,
    AWAIT_CONNECTED,
    DONE
  }

  static final int NONCE_LENGTH = 32;

  private final IkeSa sa;
  private final IkeContext ctx;
  private final ChildSaSink sink;
  private final ChildRequest request;
  private final QuickModeKeys keys;
  private State state = State.INIT;
  private SaPayload ourOffer;
  private Phase2Transform chosen;
  private TrafficSelector localTs;
  private TrafficSelector remoteTs;
  private List<IdPayload> ids = List.of();
  private boolean commitRequested;
  private long lifeSeconds;
  private long lifeKilobytes;
  private int messageId;
  private byte[] peerOriginal;

  /** Receives finished child SAs (the engine registers them and tells the listener). */
  interface ChildSaSink {
    int allocateSpi();

    void established(ChildSa child);
  }

  /** Initiator. */
  QuickModeTask(IkeSa sa, IkeContext ctx, ChildSaSink sink, ChildRequest request) {
    this.sa = sa;
    this.ctx = ctx;
    this.sink = sink;
    this.request = request;
    this.keys = new QuickModeKeys(sa, ctx, request != null);
  }

  /** Responder. */
  QuickModeTask(IkeSa sa, IkeContext ctx, ChildSaSink sink) {
    this(sa, ctx, sink, null);
  }

  @Override
  public ExchangeType exchangeType() {
    return ExchangeType.QUICK_MODE;
  }

  @Override
  public Status initiate(OutboundMessage out) {
    int mid = out.messageId();
    messageId = mid;
    keys.setOurSpi(sink.allocateSpi());
    DhGroup pfs = pfsGroupToOffer();
    List<Transform> ts = new ArrayList<>();
    int n = 1;
    for (EspProposalSpec spec : ctx.policy().espProposals()) {
      ts.add(
          new Phase2Transform(
                  spec.cipher(),
                  spec.keyBits(),
                  spec.auth(),
                  pfs,
                  encapsulation(),
                  ctx.policy().childLifetimeSeconds(),
                  ctx.policy().childLifetimeKilobytes())
              .toTransform(n++));
    }
    ourOffer =
        new SaPayload(
            Informational.DOI_IPSEC,
            Phase1.SIT_IDENTITY_ONLY,
            List.of(new Proposal(1, ProtocolId.IPSEC_ESP, keys.ourSpiBytes(), ts)));
    localTs = request.local();
    remoteTs = request.remote();
    List<Payload> rest = new ArrayList<>();
    rest.add(ourOffer);
    rest.add(keys.ourNonce(NONCE_LENGTH));
    if (pfs != null) {
      rest.add(keys.ourKe(pfs));
    }
    ids = List.of(localTs.toId(), remoteTs.toId());
    rest.addAll(ids);
    rest.addAll(NatOa.ours(sa, sa.udpEncapsulation() && !request.tunnel(), true));
    byte[] hash = Keymat.quickModeHash1(sa.prf(), sa.skeyidA(), mid, encode(rest));
    out.add(new HashPayload(hash)).addAll(rest).encrypted(true);
    if (request.commit()) {
      out.flags(IsakmpHeader.FLAG_COMMIT);
    }
    state = State.SENT;
    return Status.NEED_MORE;
  }

  /** The requested mode, UDP-encapsulated when a NAT sits between the peers. */
  private int encapsulation() {
    return sa.udpEncapsulation()
        ? sa.natVariant().udpMode(request.encapsulation())
        : request.encapsulation();
  }

  private DhGroup pfsGroupToOffer() {
    if (ctx.policy().pfs() == IkePolicy.PfsPolicy.NONE) {
      return null;
    }
    if (request.pfs() != null) {
      return request.pfs(); // a rekey keeps the PFS group of the child it replaces
    }
    if (ctx.policy().pfs() != IkePolicy.PfsPolicy.REQUIRED) {
      return null;
    }
    DhGroup g = ctx.policy().espProposals().get(0).pfs();
    return g != null ? g : sa.transform().orElseThrow().group();
  }

  @Override
  public Status process(InboundMessage in, OutboundMessage out) {
    MainModeTask.requireEncrypted(in);
    return switch (state) {
      case INIT -> respond(in, out);
      case SENT -> initiatorFinish(in, out);
      case ANSWERED -> responderFinish(in, out);
      case AWAIT_CONNECTED -> connected(in);
      case DONE -> Status.DONE;
    };
  }

  // ---- responder ----

  private Status respond(InboundMessage in, OutboundMessage out) {
    int mid = in.header().messageId();
    messageId = mid;
    verifyHash(in, Keymat.quickModeHash1(sa.prf(), sa.skeyidA(), mid, rest(in)));
    commitRequested = in.header().isCommit();
    SaPayload offered = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    ProposalSelector.EspChoice choice =
        ProposalSelector.selectEsp(
                offered, ctx.policy().espProposals(), ctx.policy().serverPreference(), this::pfsOk)
            .orElseThrow(
                () ->
                    new IkeProtocolException(
                        NotifyType.NO_PROPOSAL_CHOSEN,
                        "no acceptable ESP transform: peer offered "
                            + ProposalText.offeredEsp(offered)
                            + ", we accept "
                            + ProposalText.oursEsp(ctx.policy().espProposals())));
    chosen = choice.phase2();
    keys.setPeerSpi(choice.proposal().spi());
    keys.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    selectors(in, true);
    if (!ctx.policy().trafficAllowed(sa, remoteTs, localTs, chosen.tunnel())) {
      throw new IkeProtocolException(
          NotifyType.INVALID_ID_INFORMATION,
          "traffic " + remoteTs + " === " + localTs + " refused");
    }
    keys.setOurSpi(sink.allocateSpi());
    List<Payload> rest = new ArrayList<>();
    rest.add(
        new SaPayload(
            offered.doi(),
            offered.situation(),
            List.of(
                new Proposal(
                    choice.proposal().number(),
                    ProtocolId.IPSEC_ESP,
                    keys.ourSpiBytes(),
                    List.of(choice.transform())))));
    rest.add(keys.ourNonce(NONCE_LENGTH));
    peerKe(in, rest);
    rest.addAll(ids);
    peerOriginal = NatOa.peerOriginal(in.all(NatOaPayload.class), true);
    rest.addAll(NatOa.ours(sa, chosen.udpEncapsulated() && !chosen.tunnel(), false));
    lifetimes(rest);
    byte[] hash = Keymat.quickModeHash2(sa.prf(), sa.skeyidA(), mid, keys.ni(), encode(rest));
    out.add(new HashPayload(hash)).addAll(rest).encrypted(true);
    if (commitRequested) {
      // echo the commit bit: we answer with CONNECTED once HASH(3) arrived (as racoon does)
      out.flags(IsakmpHeader.FLAG_COMMIT);
    }
    state = State.ANSWERED;
    return Status.NEED_MORE;
  }

  private boolean pfsOk(Phase2Transform t) {
    return pfsAcceptable(ctx.policy().pfs(), t);
  }

  /** Whether a transform's PFS group (or its absence) is acceptable under {@code pfs}. */
  static boolean pfsAcceptable(IkePolicy.PfsPolicy pfs, Phase2Transform t) {
    return switch (pfs) {
      case NONE -> t.pfsGroup() == null;
      case OPTIONAL -> t.pfsGroup() == null || t.pfsGroup().isSupported();
      case REQUIRED -> t.pfsGroup() != null && t.pfsGroup().isSupported();
    };
  }

  /** PFS: the peer's KE must be there exactly when the chosen transform names a group. */
  private void peerKe(InboundMessage in, List<Payload> rest) {
    KePayload ke = in.first(KePayload.class).orElse(null);
    if ((ke == null) != (chosen.pfsGroup() == null)) {
      throw new IkeProtocolException(
          NotifyType.INVALID_KEY_INFORMATION, "KE payload does not match the PFS group");
    }
    if (ke != null) {
      if (rest != null) {
        rest.add(keys.ourKe(chosen.pfsGroup()));
      }
      keys.peerKe(ke, chosen.pfsGroup());
    }
  }

  /** Lifetimes: the shorter of the offer and our maximum; tell the peer if we shortened. */
  private void lifetimes(List<Payload> rest) {
    long[] life =
        ResponderLifetime.choose(
            chosen, ctx.policy().childLifetimeSeconds(), ctx.policy().childLifetimeKilobytes());
    lifeSeconds = life[0];
    lifeKilobytes = life[1];
    if (chosen.lifeSeconds() > lifeSeconds
        || chosen.lifeKilobytes() > lifeKilobytes && lifeKilobytes > 0) {
      rest.add(ResponderLifetime.notify(keys.peerSpiBytes(), lifeSeconds, lifeKilobytes));
    }
  }

  private Status responderFinish(InboundMessage in, OutboundMessage out) {
    int mid = in.header().messageId();
    verifyHash(in, Keymat.quickModeHash3(sa.prf(), sa.skeyidA(), mid, keys.ni(), keys.nr()));
    install();
    if (commitRequested) {
      List<Payload> n =
          List.of(
              new NotifyPayload(
                  Informational.DOI_IPSEC,
                  ProtocolId.IPSEC_ESP,
                  NotifyType.CONNECTED,
                  keys.peerSpiBytes(),
                  new byte[0]));
      byte[] hash = Keymat.informationalHash(sa.prf(), sa.skeyidA(), mid, encode(n));
      out.add(new HashPayload(hash)).addAll(n).encrypted(true);
      out.exchangeType(ExchangeType.INFORMATIONAL);
    }
    return Status.DONE;
  }

  // ---- initiator ----

  private Status initiatorFinish(InboundMessage in, OutboundMessage out) {
    int mid = in.header().messageId();
    keys.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    verifyHash(in, Keymat.quickModeHash2(sa.prf(), sa.skeyidA(), mid, keys.ni(), rest(in)));
    SaPayload reply = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    chosen = ProposalSelector.acceptEspReply(ourOffer, reply);
    keys.setPeerSpi(reply.proposals().get(0).spi());
    peerKe(in, null);
    selectors(in, false);
    peerOriginal = NatOa.peerOriginal(in.all(NatOaPayload.class), false);
    // our own limits hold even if the reply names none (strongSwan answers with its own lifetimes)
    lifeSeconds =
        ResponderLifetime.lower(chosen.lifeSeconds(), ctx.policy().childLifetimeSeconds());
    lifeKilobytes =
        ResponderLifetime.lower(chosen.lifeKilobytes(), ctx.policy().childLifetimeKilobytes());
    for (NotifyPayload n : in.all(NotifyPayload.class)) {
      if (n.notifyType().equals(NotifyType.RESPONDER_LIFETIME)) {
        long[] life = ResponderLifetime.parse(n.data(), lifeSeconds, lifeKilobytes);
        lifeSeconds = life[0];
        lifeKilobytes = life[1];
      }
    }
    out.add(
            new HashPayload(
                Keymat.quickModeHash3(sa.prf(), sa.skeyidA(), mid, keys.ni(), keys.nr())))
        .encrypted(true);
    if (in.header().isCommit()) {
      state = State.AWAIT_CONNECTED;
      return Status.NEED_MORE;
    }
    install();
    return Status.DONE;
  }

  private Status connected(InboundMessage in) {
    int mid = in.header().messageId();
    verifyHash(in, Keymat.informationalHash(sa.prf(), sa.skeyidA(), mid, rest(in)));
    boolean ok =
        in.all(NotifyPayload.class).stream()
            .anyMatch(n -> n.notifyType().equals(NotifyType.CONNECTED));
    if (!ok) {
      throw new IkeProtocolException(NotifyType.PAYLOAD_MALFORMED, "expected CONNECTED");
    }
    install();
    return Status.DONE;
  }

  // ---- shared ----

  /** Reads IDci/IDcr; without them the selectors are the two peers' addresses (host to host). */
  private void selectors(InboundMessage in, boolean responder) {
    List<IdPayload> got = in.all(IdPayload.class);
    if (got.isEmpty()) {
      if (!responder && ids.size() == 2) {
        throw new IkeProtocolException(NotifyType.INVALID_ID_INFORMATION, "IDs not echoed");
      }
      localTs = TrafficSelector.host(sa.local().address(), 0, 0);
      remoteTs = TrafficSelector.host(sa.peer().address(), 0, 0);
      return;
    }
    if (got.size() != 2) {
      throw new IkeProtocolException(NotifyType.INVALID_ID_INFORMATION, "need IDci and IDcr");
    }
    if (!responder) {
      // compare what the IDs mean: a peer may write a subnet as a range or the other way round
      if (!localTs.equals(TrafficSelector.fromId(got.get(0)))
          || !remoteTs.equals(TrafficSelector.fromId(got.get(1)))) {
        throw new IkeProtocolException(
            NotifyType.INVALID_ID_INFORMATION, "IDs changed: sent " + ids + ", got " + got);
      }
      return;
    }
    TrafficSelector ci = TrafficSelector.fromId(got.get(0));
    TrafficSelector cr = TrafficSelector.fromId(got.get(1));
    if (ci == null || cr == null) {
      throw new IkeProtocolException(NotifyType.INVALID_ID_INFORMATION, "unsupported ID type");
    }
    remoteTs = ci;
    localTs = cr;
    ids = got;
  }

  private void install() {
    Secret gxy = keys.pfsSecret();
    int length = chosen.keymatLength();
    ChildSa child =
        new ChildSa(
            messageId,
            chosen,
            keys.ourSpi(),
            keys.peerSpi(),
            keys.keymat(keys.ourSpiBytes(), length),
            keys.keymat(keys.peerSpiBytes(), length),
            localTs,
            remoteTs,
            lifeSeconds,
            lifeKilobytes,
            ctx.clock().millis(),
            request != null,
            peerOriginal);
    if (gxy != null) {
      gxy.destroy();
    }
    state = State.DONE;
    sink.established(child);
  }

  @Override
  public void abort(String reason) {
    keys.destroy();
    if (state != State.DONE) {
      ctx.listener().childFailed(sa, reason);
    }
  }
}
