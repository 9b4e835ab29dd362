package dev.coati.ike;

import dev.coati.ike.wire.ExchangeType;
import dev.coati.ike.wire.HashPayload;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NatDPayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.PayloadType;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.VendorIdPayload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Main mode (identity protection, RFC 2409 section 5) with pre-shared keys, both roles.
 *
 * <pre>
 *   Initiator                         Responder
 *   HDR, SA, VID              --&gt;
 *                             &lt;--     HDR, SA, VID
 *   HDR, KE, Ni [,NAT-D,NAT-D] --&gt;
 *                             &lt;--     HDR, KE, Nr [,NAT-D,NAT-D]
 *   HDR*, IDii, HASH_I [,N]   --&gt;
 *                             &lt;--     HDR*, IDir, HASH_R
 * </pre>
 */
final class MainModeTask implements Task {
  private enum State {
    INIT,
    SA_SENT,
    KE_SENT,
    AUTH_SENT,
    SA_ANSWERED,
    KE_ANSWERED,
    DONE
  }

  private final IkeSa sa;
  private final IkeContext ctx;
  private final Phase1 phase1;
  private final Runnable onEstablished;
  private State state = State.INIT;
  private SaPayload ourOffer;

  MainModeTask(IkeSa sa, IkeContext ctx, Runnable onEstablished) {
    this.sa = sa;
    this.ctx = ctx;
    this.phase1 = new Phase1(sa, ctx);
    this.onEstablished = onEstablished;
  }

  @Override
  public ExchangeType exchangeType() {
    return ExchangeType.IDENTITY_PROTECTION;
  }

  @Override
  public Status initiate(OutboundMessage out) {
    ourOffer = phase1.offer();
    phase1.setSaiBody(ourOffer.body());
    out.add(ourOffer).addAll(OurVendorIds.payloads(ctx, sa));
    state = State.SA_SENT;
    return Status.NEED_MORE;
  }

  @Override
  public Status process(InboundMessage in, OutboundMessage out) {
    return switch (state) {
      case INIT -> respondSa(in, out);
      case SA_ANSWERED -> respondKe(in, out);
      case KE_ANSWERED -> respondAuth(in, out);
      case SA_SENT -> initiatorKe(in, out);
      case KE_SENT -> initiatorAuth(in, out);
      case AUTH_SENT -> initiatorDone(in);
      case DONE -> Status.DONE;
    };
  }

  private int method() {
    return sa.transform().map(Phase1Transform::authMethod).orElse(0);
  }

  // ---- responder ----

  private Status respondSa(InboundMessage in, OutboundMessage out) {
    SaPayload offered = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    phase1.setSaiBody(in.rawBody(in.indexOf(PayloadType.SA)));
    phase1.peerVendorIds(in.all(VendorIdPayload.class));
    out.add(phase1.select(offered)).addAll(OurVendorIds.payloads(ctx, sa));
    state = State.SA_ANSWERED;
    return Status.NEED_MORE;
  }

  private Status respondKe(InboundMessage in, OutboundMessage out) {
    phase1.peerKe(in.first(KePayload.class).orElseThrow(() -> missing("KE")));
    phase1.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    List<NatDPayload> natd = in.all(NatDPayload.class);
    phase1.peerNatD(natd);
    out.add(phase1.ourKe()).add(phase1.ourNonce()).addAll(phase1.ourNatD(natd));
    out.addAll(SignatureAuth.certRequest(ctx, method()));
    phase1.deriveKeys(phase1.psk(Optional.empty()));
    state = State.KE_ANSWERED;
    return Status.NEED_MORE;
  }

  private Status respondAuth(InboundMessage in, OutboundMessage out) {
    requireEncrypted(in);
    IdPayload idii = in.first(IdPayload.class).orElseThrow(() -> missing("ID"));
    byte[] hashI = phase1.hashI(in.rawBody(in.indexOf(PayloadType.ID)));
    int m = method();
    if (SignatureAuth.signatureBased(m) && !SignatureAuth.initiatorSendsHash(m)) {
      SignatureAuth.verifyPeer(ctx, in, idii, hashI, Instant.ofEpochMilli(ctx.clock().millis()));
    } else {
      HashPayload hash = in.first(HashPayload.class).orElseThrow(() -> missing("HASH"));
      phase1.verify(hashI, hash.data());
    }
    sa.setPeerId(idii);
    if (!ctx.policy().identityAllowed(sa.peer(), idii)) {
      throw new IkeProtocolException(
          NotifyType.AUTHENTICATION_FAILED, "identity " + idii.describe() + " not allowed");
    }
    IdPayload idir = ctx.policy().localId(sa.peer());
    byte[] hashR = phase1.hashR(idir.body());
    out.add(idir);
    if (SignatureAuth.signatureBased(m)) {
      out.addAll(SignatureAuth.ours(ctx, hashR));
    } else {
      out.add(new HashPayload(hashR));
    }
    out.encrypted(true);
    InitialContact.check(sa, ctx, in);
    finish();
    return Status.DONE;
  }

  // ---- initiator ----

  private Status initiatorKe(InboundMessage in, OutboundMessage out) {
    SaPayload reply = in.first(SaPayload.class).orElseThrow(() -> missing("SA"));
    phase1.acceptReply(ourOffer, reply);
    phase1.peerVendorIds(in.all(VendorIdPayload.class));
    sa.setResponderCookie(in.header().responderSpi());
    out.add(phase1.ourKe()).add(phase1.ourNonce()).addAll(phase1.ourNatD(List.of()));
    if (SignatureAuth.signatureBased(method())) {
      out.addAll(SignatureAuth.initiatorCertRequest(ctx));
    }
    state = State.KE_SENT;
    return Status.NEED_MORE;
  }

  private Status initiatorAuth(InboundMessage in, OutboundMessage out) {
    phase1.peerKe(in.first(KePayload.class).orElseThrow(() -> missing("KE")));
    phase1.peerNonce(in.first(NoncePayload.class).orElseThrow(() -> missing("NONCE")));
    phase1.peerNatD(in.all(NatDPayload.class));
    phase1.deriveKeys(phase1.psk(Optional.empty()));
    phase1.floatIfNatted();
    IdPayload idii = ctx.policy().localId(sa.peer());
    out.add(idii);
    int m = method();
    if (SignatureAuth.signatureBased(m) && !SignatureAuth.initiatorSendsHash(m)) {
      out.addAll(SignatureAuth.ours(ctx, phase1.hashI(idii.body())));
    } else {
      out.add(new HashPayload(phase1.hashI(idii.body())));
    }
    if (!sa.reauthentication()) {
      out.add(Informational.initialContact(sa));
    }
    out.encrypted(true);
    state = State.AUTH_SENT;
    return Status.NEED_MORE;
  }

  private Status initiatorDone(InboundMessage in) {
    requireEncrypted(in);
    IdPayload idir = in.first(IdPayload.class).orElseThrow(() -> missing("ID"));
    byte[] hashR = phase1.hashR(in.rawBody(in.indexOf(PayloadType.ID)));
    if (SignatureAuth.signatureBased(method())) {
      SignatureAuth.verifyPeer(ctx, in, idir, hashR, Instant.ofEpochMilli(ctx.clock().millis()));
    } else {
      HashPayload hash = in.first(HashPayload.class).orElseThrow(() -> missing("HASH"));
      phase1.verify(hashR, hash.data());
    }
    sa.setPeerId(idir);
    finish();
    return Status.DONE;
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

  static void requireEncrypted(InboundMessage in) {
    if (!in.encrypted()) {
      throw new IkeProtocolException(NotifyType.INVALID_FLAGS, "authentication not encrypted");
    }
  }

  static IkeProtocolException missing(String what) {
    return new IkeProtocolException(NotifyType.PAYLOAD_MALFORMED, "missing " + what + " payload");
  }
}
