package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.crypto.InvalidPeerKeyException;
import dev.coati.crypto.KeyExchange;
import dev.coati.crypto.Prf;
import dev.coati.crypto.Secret;
import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.KePayload;
import dev.coati.ike.wire.NatDPayload;
import dev.coati.ike.wire.NoncePayload;
import dev.coati.ike.wire.NotifyType;
import dev.coati.ike.wire.Proposal;
import dev.coati.ike.wire.ProtocolId;
import dev.coati.ike.wire.SaPayload;
import dev.coati.ike.wire.Transform;
import dev.coati.ike.wire.VendorIdPayload;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What main mode and aggressive mode share (strongSwan's phase1.c): the SA offer and selection,
 * nonce and KE handling, key derivation (RFC 2409 section 5) and HASH_I / HASH_R.
 */
final class Phase1 {
  static final int NONCE_LENGTH = 32;
  static final int MIN_NONCE = 8;
  static final int MAX_NONCE = 256;
  static final int SIT_IDENTITY_ONLY = 1;
  static final int IKE_PORT = 500;
  static final int NAT_T_PORT = 4500;

  private final IkeSa sa;
  private final IkeContext ctx;
  private KeyExchange dh;
  private byte[] ni;
  private byte[] nr;
  private byte[] gxi;
  private byte[] gxr;
  private byte[] saiBody;
  private Secret skeyid;

  Phase1(IkeSa sa, IkeContext ctx) {
    this.sa = sa;
    this.ctx = ctx;
  }

  /** Our offer: one ISAKMP proposal, a transform per (algorithm set × auth method). */
  SaPayload offer() {
    List<Transform> ts = new ArrayList<>();
    int n = 1;
    for (IkeProposalSpec spec : ctx.policy().ikeProposals()) {
      for (int auth : ctx.policy().authMethods()) {
        ts.add(Phase1Transform.of(spec, auth, ctx.policy().ikeLifetimeSeconds()).toTransform(n++));
      }
    }
    if (ts.isEmpty()) {
      throw new IllegalStateException("no IKE proposals configured");
    }
    return new SaPayload(
        Informational.DOI_IPSEC,
        SIT_IDENTITY_ONLY,
        List.of(new Proposal(1, ProtocolId.ISAKMP, new byte[0], ts)));
  }

  /** Responder: picks a transform from the peer's offer and returns the SA payload to answer. */
  SaPayload select(SaPayload offered) {
    if (offered.doi() != Informational.DOI_IPSEC) {
      throw new IkeProtocolException(NotifyType.DOI_NOT_SUPPORTED, "DOI " + offered.doi());
    }
    if (offered.situation() != SIT_IDENTITY_ONLY) {
      throw new IkeProtocolException(NotifyType.SITUATION_NOT_SUPPORTED, "situation");
    }
    ProposalSelector.Choice choice =
        ProposalSelector.selectPhase1(
                offered,
                ctx.policy(),
                t -> ctx.policy().authMethodAllowed(sa.peer(), t.authMethod()))
            .orElseThrow(
                () ->
                    new IkeProtocolException(
                        NotifyType.NO_PROPOSAL_CHOSEN,
                        "no acceptable phase 1 transform: peer offered "
                            + ProposalText.offeredPhase1(offered)
                            + ", we accept "
                            + ProposalText.oursPhase1(ctx.policy().ikeProposals())));
    Phase1Transform chosen = choice.phase1();
    long life = ctx.policy().ikeLifetimeSeconds();
    if (chosen.lifeSeconds() > 0 && chosen.lifeSeconds() < life) {
      life = chosen.lifeSeconds();
    }
    sa.setTransform(
        new Phase1Transform(
            chosen.cipher(),
            chosen.keyBits(),
            chosen.hash(),
            chosen.group(),
            chosen.authMethod(),
            life,
            chosen.lifeKilobytes()));
    Proposal p = choice.proposal();
    return new SaPayload(
        offered.doi(),
        offered.situation(),
        List.of(new Proposal(p.number(), p.protocolId(), p.spi(), List.of(choice.transform()))));
  }

  /** Initiator: checks the responder chose exactly one transform we offered. */
  void acceptReply(SaPayload ours, SaPayload reply) {
    if (reply.proposals().size() != 1 || reply.proposals().get(0).transforms().size() != 1) {
      throw new IkeProtocolException(
          NotifyType.BAD_PROPOSAL_SYNTAX, "responder must choose one transform");
    }
    Transform t = reply.proposals().get(0).transforms().get(0);
    Phase1Transform got =
        Phase1Transform.parse(t)
            .orElseThrow(
                () ->
                    new IkeProtocolException(
                        NotifyType.NO_PROPOSAL_CHOSEN, "responder chose an unknown transform"));
    boolean offered =
        ours.proposals().get(0).transforms().stream()
            .map(Phase1Transform::parse)
            .flatMap(Optional::stream)
            .anyMatch(
                o ->
                    o.cipher() == got.cipher()
                        && o.keyBits() == got.keyBits()
                        && o.hash() == got.hash()
                        && o.group() == got.group()
                        && o.authMethod() == got.authMethod());
    if (!offered) {
      throw new IkeProtocolException(
          NotifyType.NO_PROPOSAL_CHOSEN, "responder chose a transform we did not offer");
    }
    sa.setTransform(got);
  }

  void setSaiBody(byte[] body) {
    this.saiBody = body.clone();
  }

  /** Our KE payload (creates the DH key pair for the negotiated group on first use). */
  KePayload ourKe() {
    if (dh == null) {
      dh = ctx.dh().create(sa.transform().orElseThrow().group());
    }
    byte[] pub = dh.publicKey();
    if (sa.isInitiator()) {
      gxi = pub;
    } else {
      gxr = pub;
    }
    return new KePayload(pub);
  }

  /** Our KE for a group chosen before negotiation (aggressive mode initiator). */
  KePayload ourKe(DhGroup group) {
    dh = ctx.dh().create(group);
    gxi = dh.publicKey();
    return new KePayload(gxi);
  }

  DhGroup offeredGroup() {
    return ctx.policy().ikeProposals().get(0).group();
  }

  NoncePayload ourNonce() {
    byte[] n = ctx.random().bytes(NONCE_LENGTH);
    if (sa.isInitiator()) {
      ni = n;
    } else {
      nr = n;
    }
    return new NoncePayload(n);
  }

  void peerKe(KePayload ke) {
    DhGroup g = sa.transform().orElseThrow().group();
    if (ke.keyData().length != g.publicKeyLength()) {
      throw new IkeProtocolException(
          NotifyType.INVALID_KEY_INFORMATION, "KE of " + ke.keyData().length + " bytes for " + g);
    }
    if (sa.isInitiator()) {
      gxr = ke.keyData();
    } else {
      gxi = ke.keyData();
    }
  }

  void peerNonce(NoncePayload n) {
    int len = n.data().length;
    if (len < MIN_NONCE || len > MAX_NONCE) {
      throw new IkeProtocolException(NotifyType.PAYLOAD_MALFORMED, "nonce of " + len + " bytes");
    }
    if (sa.isInitiator()) {
      nr = n.data();
    } else {
      ni = n.data();
    }
  }

  /** Records what the peer's Vendor IDs announce. */
  void peerVendorIds(List<VendorIdPayload> vids) {
    List<byte[]> data = vids.stream().map(VendorIdPayload::data).toList();
    int ms = -1;
    for (byte[] v : data) {
      ms = Math.max(ms, VendorIds.microsoftVersion(v));
    }
    sa.addFeatures(VendorIds.recogniseAll(data), ms);
    if (ctx.policy().natTraversal()) {
      sa.setNatVariant(NatVariant.of(sa.peerFeatures()));
    }
  }

  /** Our NAT-D payloads (none unless both sides announced NAT-T). */
  List<NatDPayload> ourNatD(List<NatDPayload> fromPeer) {
    if (sa.natVariant() == NatVariant.NONE) {
      return List.of();
    }
    return NatDetection.ours(sa, ctx, hash(), fromPeer);
  }

  /** Checks the peer's NAT-D payloads against the addresses in use. */
  void peerNatD(List<NatDPayload> received) {
    if (sa.natVariant() != NatVariant.NONE) {
      NatDetection.check(sa, ctx, hash(), received);
    }
  }

  /** Initiator: moves to UDP 4500 once a NAT is known, before the next message (RFC 3947 4). */
  void floatIfNatted() {
    if (sa.udpEncapsulation() && sa.local().port() == IKE_PORT) {
      sa.updateLocal(sa.local().withPort(NAT_T_PORT));
      sa.updatePeer(sa.peer().withPort(NAT_T_PORT));
    }
  }

  /** Derives SKEYID and SKEYID_d/a/e, the encryption key and the phase-1 IV (PSK auth). */
  void deriveKeys(Secret psk) {
    Phase1Transform t = sa.transform().orElseThrow();
    boolean sig = SignatureAuth.signatureBased(t.authMethod());
    if (!IkeAuth.pskBased(t.authMethod()) && !sig) {
      throw new IkeProtocolException(
          NotifyType.AUTHENTICATION_FAILED, "auth method " + t.authMethod() + " not supported");
    }
    Secret gxy;
    try {
      gxy = dh.agree(sa.isInitiator() ? gxr : gxi);
    } catch (InvalidPeerKeyException e) {
      throw new IkeProtocolException(NotifyType.INVALID_KEY_INFORMATION, "bad peer DH value");
    }
    Prf prf = t.hash().prf();
    skeyid = sig ? Keymat.skeyidSig(prf, ni, nr, gxy) : Keymat.skeyidPsk(prf, psk, ni, nr);
    long ci = sa.initiatorCookie();
    long cr = sa.responderCookie();
    Secret d = Keymat.skeyidD(prf, skeyid, gxy, ci, cr);
    Secret a = Keymat.skeyidA(prf, skeyid, d, gxy, ci, cr);
    Secret e = Keymat.skeyidE(prf, skeyid, a, gxy, ci, cr);
    Secret ka = Keymat.encryptionKey(prf, e, t.keyBytes());
    byte[] iv = Keymat.phase1Iv(t.hash(), gxi, gxr, t.cipher().blockSize());
    sa.setKeys(d, a, ka, iv);
    e.destroy();
    gxy.destroy();
    dh.destroy();
  }

  byte[] hashI(byte[] idiiBody) {
    return Keymat.hashI(
        sa.prf(), skeyid, gxi, gxr, sa.initiatorCookie(), sa.responderCookie(), saiBody, idiiBody);
  }

  byte[] hashR(byte[] idirBody) {
    return Keymat.hashR(
        sa.prf(), skeyid, gxi, gxr, sa.initiatorCookie(), sa.responderCookie(), saiBody, idirBody);
  }

  /** Checks the peer's authentication hash in constant time. */
  void verify(byte[] expected, byte[] got) {
    if (!MessageDigest.isEqual(expected, got)) {
      throw new IkeProtocolException(NotifyType.INVALID_HASH_INFORMATION, "phase 1 hash mismatch");
    }
  }

  /** The PSK for this peer (by identity when known), or AUTHENTICATION_FAILED. */
  Secret psk(Optional<IdPayload> peerId) {
    if (sa.transform().map(t -> SignatureAuth.signatureBased(t.authMethod())).orElse(false)) {
      return null; // SKEYID from the nonces and g^xy alone
    }
    return ctx.policy()
        .preSharedKey(sa.peer(), peerId)
        .orElseThrow(
            () ->
                new IkeProtocolException(
                    NotifyType.AUTHENTICATION_FAILED, "no pre-shared key for " + sa.peer()));
  }

  /** Forgets the authentication secret once the exchange is over. */
  void finish() {
    if (skeyid != null && !skeyid.isDestroyed()) {
      skeyid.destroy();
    }
    if (dh != null) {
      dh.destroy();
    }
  }

  HashAlg hash() {
    return sa.transform().orElseThrow().hash();
  }
}
