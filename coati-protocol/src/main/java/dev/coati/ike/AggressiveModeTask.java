package dev.coati.ike;

import static dev.coati.ike.MainModeTask.missing;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NatDPayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import dev.coati.ike.wire.VendorIdPayload;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Aggressive mode (RFC 2409 section 5) with pre-shared keys, both roles. The identity travels in
 * the clear and the responder's HASH_R lets anyone run an offline dictionary attack on the PSK, so
 * the responder accepts it only for identities the policy allows, and answers any other identity
 * alike with a decoy ({@link DecoyKeys}).
 *
 * <pre>
 *   Initiator                         Responder
 *   HDR, SA, KE, Ni, IDii     --&gt;
 *                             &lt;--     HDR, SA, KE, Nr, IDir, HASH_R
 *   HDR*, HASH_I              --&gt;
 * </pre>
 */
final class AggressiveModeTask implements Task {
  private static final System.Logger LOG = System.getLogger("dev.coati.ike");

  private enum State {
    INIT,
    SENT,
    ANSWERED,
    DONE
  }

  private final IkeSa sa;
  private final IkeContext ctx;
  private final Phase1 phase1;
  private final Runnable onEstablished;
  private State state = State.INIT;
  private SaPayload ourOffer;
  private byte[] idiiBody;
  private final DecoyKeys decoys;
  private boolean decoy;

  AggressiveModeTask(IkeSa sa, IkeContext ctx, DecoyKeys decoys, Runnable onEstablished) {
    this.sa = sa;
    this.ctx = ctx;
    this.decoys = decoys;
    this.phase1 = new Phase1(sa, ctx);
    this.onEstablished = onEstablished;
  }

  @Override
  public ExchangeType exchangeType() {
    return ExchangeType.AGGRESSIVE;
  }

  @Override
  public Status initiate(OutboundMessage out) {
    DhGroup group = phase1.offeredGroup();
    SaPayload full = phase1.offer();
    // The KE goes out before negotiation, so only transforms of that one group may be offered.
    List<Transform> sameGroup =
        full.proposals().get(0).transforms().stream()
            .filter(t -> Phase1Transform.parse(t).map(p -> p.group() == group).orElse(false))
            .toList();
    ourOffer =
        new SaPayload(
            full.doi(),
            full.situation(),
            List.of(new Proposal(1, full.proposals().get(0).protocolId(), new byte[0], sameGroup)));
    phase1.setSaiBody(ourOffer.body());
    IdPayload idii = ctx.policy().localId(sa.peer());
    idiiBody = idii.body();
    out.add(ourOffer).add(phase1.ourKe(group)).add(phase1.ourNonce()).add(idii);
    out.addAll(SignatureAuth.initiatorCertRequest(ctx));
    out.addAll(OurVendorIds.payloads(ctx, sa));
    state = State.SENT;
    return Status.NEED_MORE;
  }

  @Override
  public Status process(InboundMessage in, OutboundMessage out) {
    return switch (state) {
      case INIT -> respond(in, out);
      case SENT -> initiatorAuth(in, out);
      case ANSWERED -> responderDone(in);
      case DONE -> Status.DONE;
    };
  }

  private Status respond(InboundMessage in, OutboundMessage out) {
    SaPayload offered = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    KePayload ke = in.first(KePayload.class).orElseThrow(() -> missing("KE"));
    IdPayload idii = in.first(IdPayload.class).orElseThrow(() -> missing("ID"));
    phase1.setSaiBody(in.rawBody(in.indexOf(PayloadType.SA)));
    idiiBody = in.rawBody(in.indexOf(PayloadType.ID));
    phase1.peerVendorIds(in.all(VendorIdPayload.class));
    SaPayload chosen = selectMatchingKe(offered, ke);
    phase1.peerKe(ke);
    phase1.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    sa.setPeerId(idii);
    IdPayload idir = ctx.policy().localId(sa.peer());
    out.add(chosen).add(phase1.ourKe()).add(phase1.ourNonce()).add(idir);
    phase1.deriveKeys(SignatureAuth.signatureBased(method()) ? null : responderKey(idii));
    byte[] hashR = phase1.hashR(idir.body());
    if (SignatureAuth.signatureBased(method())) {
      out.addAll(SignatureAuth.certRequest(ctx, method())).addAll(SignatureAuth.ours(ctx, hashR));
    } else {
      out.add(new HashPayload(hashR));
    }
    // vendor IDs before NAT-D: racoon (and the Apple/Android stacks derived from it) reads
    // payloads in order and takes NAT-D only after the NAT-T vendor ID (RFC 3947 section 3.2)
    out.addAll(OurVendorIds.payloads(ctx, sa));
    out.addAll(phase1.ourNatD(List.of()));
    state = State.ANSWERED;
    return Status.NEED_MORE;
  }

  /**
   * The PSK for an identity allowed aggressive mode (it exposes a PSK-keyed hash to offline
   * guessing, so only listed IDs may use it), else a decoy: an unknown or refused ID gets an answer
   * of the same shape and size, and fails at HASH_I as a wrong PSK does (no ID oracle).
   */
  private Secret responderKey(IdPayload idii) {
    Optional<Secret> psk =
        ctx.policy().aggressiveModeAllowed(sa.peer(), idii)
            ? ctx.policy().preSharedKey(sa.peer(), Optional.of(idii))
            : Optional.empty();
    decoy = psk.isEmpty();
    if (decoy) { // as an unauthenticated line, the same as before the decoy (one per exchange)
      LOG.log(
          Level.INFO,
          "{0} aggressive mode not allowed for {1}: answered with a decoy HASH_R",
          sa.name(),
          idii.describe());
    }
    return psk.orElseGet(() -> decoys.forIdentity(idiiBody));
  }

  /** Picks a transform whose DH group fits the KE the initiator already sent. */
  private SaPayload selectMatchingKe(SaPayload offered, KePayload ke) {
    int keLen = ke.keyData().length;
    boolean groupOk =
        ProposalSelector.selectPhase1(
                offered, ctx.policy(), t -> t.group().publicKeyLength() == keLen)
            .isPresent();
    if (!groupOk) {
      throw new IkeProtocolException(
          NotifyType.NO_PROPOSAL_CHOSEN, "no acceptable transform for the KE sent");
    }
    return phase1.select(filter(offered, keLen));
  }

  private static SaPayload filter(SaPayload offered, int keLen) {
    List<Proposal> ps =
        offered.proposals().stream()
            .map(
                p ->
                    new Proposal(
                        p.number(),
                        p.protocolId(),
                        p.spi(),
                        p.transforms().stream()
                            .filter(
                                t ->
                                    Phase1Transform.parse(t)
                                        .map(x -> x.group().publicKeyLength() == keLen)
                                        .orElse(false))
                            .toList()))
            .filter(p -> !p.transforms().isEmpty())
            .toList();
    return new SaPayload(offered.doi(), offered.situation(), ps);
  }

  private Status initiatorAuth(InboundMessage in, OutboundMessage out) {
    SaPayload reply = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    phase1.acceptReply(ourOffer, reply);
    phase1.peerVendorIds(in.all(VendorIdPayload.class));
    sa.setResponderCookie(in.header().responderSpi());
    phase1.peerKe(in.first(KePayload.class).orElseThrow(() -> missing("KE")));
    phase1.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    IdPayload idir = in.first(IdPayload.class).orElseThrow(() -> missing("ID"));
    int m = method();
    boolean sig = SignatureAuth.signatureBased(m);
    phase1.deriveKeys(sig ? null : phase1.psk(Optional.of(idir)));
    byte[] hashR = phase1.hashR(in.rawBody(in.indexOf(PayloadType.ID)));
    if (sig) {
      SignatureAuth.verifyPeer(ctx, in, idir, hashR, Instant.ofEpochMilli(ctx.clock().millis()));
    } else {
      HashPayload hash = in.first(HashPayload.class).orElseThrow(() -> missing("HASH"));
      phase1.verify(hashR, hash.data());
    }
    sa.setPeerId(idir);
    phase1.peerNatD(in.all(NatDPayload.class));
    phase1.floatIfNatted();
    if (sig && !SignatureAuth.initiatorSendsHash(m)) {
      out.addAll(SignatureAuth.ours(ctx, phase1.hashI(idiiBody)));
    } else {
      out.add(new HashPayload(phase1.hashI(idiiBody)));
    }
    out.addAll(phase1.ourNatD(List.of()));
    if (!sa.reauthentication()) {
      out.add(Informational.initialContact(sa));
    }
    out.encrypted(true);
    finish();
    return Status.DONE;
  }

  private Status responderDone(InboundMessage in) {
    if (decoy) { // the client cannot know the decoy key; answer exactly as to a wrong PSK
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "phase 1 hash mismatch");
    }
    int m = method();
    if (SignatureAuth.signatureBased(m) && !SignatureAuth.initiatorSendsHash(m)) {
      SignatureAuth.verifyPeer(
          ctx,
          in,
          sa.peerId().orElseThrow(),
          phase1.hashI(idiiBody),
          Instant.ofEpochMilli(ctx.clock().millis()));
    } else {
      HashPayload hashI = in.first(HashPayload.class).orElseThrow(() -> missing("HASH"));
      phase1.verify(phase1.hashI(idiiBody), hashI.data());
    }
    phase1.peerNatD(in.all(NatDPayload.class));
    if (!ctx.policy().identityAllowed(sa.peer(), sa.peerId().orElseThrow())) {
      throw new IkeProtocolException(NotifyType.AUTHENTICATION_FAILED, "identity not allowed");
    }
    InitialContact.check(sa, ctx, in);
    finish();
    return Status.DONE;
  }

  private int method() {
    return sa.transform().map(Phase1Transform::authMethod).orElse(0);
  }

  private void finish() {
    state = State.DONE;
    phase1.finish();
    onEstablished.run();
  }

  @Override
  public void abort(String reason) {
    phase1.finish();
  }
}
