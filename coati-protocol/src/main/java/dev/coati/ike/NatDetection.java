package dev.coati.ike;

import dev.coati.crypto.HashAlg;
import dev.coati.ike.wire.NatDPayload;
import dev.coati.util.ByteWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * NAT discovery (RFC 3947 section 3.2): each side sends HASH(CKY-I | CKY-R | IP | Port) of the
 * peer's address (first) and of its own (then), and compares what it receives with the addresses
 * the packet really carried. Also the two SoftEther tricks (softether-study Q1, Q2): forcing UDP
 * encapsulation, and parroting a Microsoft client's hash of our address.
 */
final class NatDetection {
  private NatDetection() {}

  static byte[] hash(HashAlg h, long ckyI, long ckyR, PeerAddress a) {
    byte[] cookies = new ByteWriter(16).i64(ckyI).i64(ckyR).toByteArray();
    return h.digest(cookies, a.addressAndPort());
  }

  /** Our NAT-D payloads: hash of the peer's address, then of ours. */
  static List<NatDPayload> ours(IkeSa sa, IkeContext ctx, HashAlg h, List<NatDPayload> fromPeer) {
    long ci = sa.initiatorCookie();
    long cr = sa.responderCookie();
    byte[] dest =
        ctx.policy().forceUdpEncapsulation()
            ? ctx.random().bytes(h.outputLength())
            : hash(h, ci, cr, sa.peer());
    byte[] src = hash(h, ci, cr, sa.local());
    if (!sa.isInitiator()
        && ctx.policy().microsoftNatDParrot()
        && sa.peerFeatures().contains(PeerFeature.MS_NT5_ISAKMPOAKLEY)
        && !fromPeer.isEmpty()) {
      src = fromPeer.get(0).hash();
    }
    List<NatDPayload> out = new ArrayList<>();
    out.add(new NatDPayload(sa.natVariant().natD(), dest));
    out.add(new NatDPayload(sa.natVariant().natD(), src));
    return out;
  }

  /** Compares the peer's NAT-D payloads with the addresses this exchange really uses. */
  static void check(IkeSa sa, IkeContext ctx, HashAlg h, List<NatDPayload> received) {
    if (received.size() < 2) {
      return;
    }
    long ci = sa.initiatorCookie();
    long cr = sa.responderCookie();
    boolean localOk = MessageDigest.isEqual(received.get(0).hash(), hash(h, ci, cr, sa.local()));
    byte[] peerHash = hash(h, ci, cr, sa.peer());
    boolean peerOk = false;
    for (int i = 1; i < received.size(); i++) {
      peerOk |= MessageDigest.isEqual(received.get(i).hash(), peerHash);
    }
    // forcing UDP encapsulation: behave as if we were behind a NAT ourselves
    sa.setNat(!localOk || ctx.policy().forceUdpEncapsulation(), !peerOk);
  }
}
