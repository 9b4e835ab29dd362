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

  /**
   * Our NAT-D payloads: hash of the peer's address, then of ours. Forcing UDP encapsulation, a
   * gateway sends a wrong hash of the peer's address, a road warrior (racoon's {@code nat_traversal
   * force}) a wrong hash of its own, so the peer sees a NAT either way.
   */
  static List<NatDPayload> ours(IkeSa sa, IkeContext ctx, HashAlg h, List<NatDPayload> fromPeer) {
    long ci = sa.initiatorCookie();
    long cr = sa.responderCookie();
    boolean force = ctx.policy().forceUdpEncapsulation();
    byte[] dest =
        force && !sa.isInitiator()
            ? ctx.random().bytes(h.outputLength())
            : hash(h, ci, cr, sa.peer());
    byte[] src =
        force && sa.isInitiator()
            ? ctx.random().bytes(h.outputLength())
            : hash(h, ci, cr, sa.local());
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

  /**
   * Compares the peer's NAT-D payloads with the addresses this exchange really uses. An aggressive
   * mode initiator floats to port 4500 with its third message, and vpnc (0.5.3, {@code vpnc.c}
   * do_phase1_am) hashes the addresses and ports of the first two messages into it: a hash equal to
   * the addresses phase 1 began on counts as a match too, else a gateway that is not behind a NAT
   * would think it is (and send keepalives to the client).
   */
  static void check(IkeSa sa, IkeContext ctx, HashAlg h, List<NatDPayload> received) {
    if (received.size() < 2) {
      return;
    }
    long ci = sa.initiatorCookie();
    long cr = sa.responderCookie();
    byte[] first = received.get(0).hash();
    boolean localOk =
        matches(first, h, ci, cr, sa.local()) || matches(first, h, ci, cr, sa.firstLocal());
    boolean peerOk = false;
    for (int i = 1; i < received.size(); i++) {
      byte[] hash = received.get(i).hash();
      peerOk |= matches(hash, h, ci, cr, sa.peer()) || matches(hash, h, ci, cr, sa.firstPeer());
    }
    // forcing UDP encapsulation: behave as if we were behind a NAT ourselves
    sa.setNat(!localOk || ctx.policy().forceUdpEncapsulation(), !peerOk);
  }

  private static boolean matches(byte[] hash, HashAlg h, long ci, long cr, PeerAddress a) {
    return MessageDigest.isEqual(hash, hash(h, ci, cr, a));
  }
}
