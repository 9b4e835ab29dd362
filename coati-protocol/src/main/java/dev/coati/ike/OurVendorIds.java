package dev.coati.ike;

import dev.coati.ike.wire.VendorIdPayload;
import dev.coati.util.Hex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Vendor IDs we send in phase 1: only what this engine implements. The initiator offers DPD,
 * IKE fragmentation and every NAT-T dialect; the responder answers DPD, fragmentation and Xauth
 * (with remote access on) when the peer offered them, and the one NAT-T dialect it chose from the
 * peer's offer (RFC 3947 before the drafts, newest draft first).
 */
final class OurVendorIds {
  private static final byte[] DRAFT_03 = Hex.decode("7d9419a65310ca6f2c179d9215529d56");

  private OurVendorIds() {}

  static List<VendorIdPayload> payloads(IkeContext ctx, IkeSa sa) {
    List<VendorIdPayload> out = new ArrayList<>();
    if (sa.isInitiator() || sa.peerFeatures().contains(PeerFeature.DPD)) {
      // a responder echoes DPD only to a peer that offers it: the answer to a bare (perhaps
      // spoofed) first message is then no larger than that message
      out.add(new VendorIdPayload(VendorIds.DPD));
    }
    if (ctx.policy().ikeFragmentSize() > 0
        && (sa.isInitiator() || sa.peerFeatures().contains(PeerFeature.FRAGMENTATION))) {
      out.add(new VendorIdPayload(fragmentation()));
    }
    if (sa.isInitiator() && ctx.policy().xauthCredentials(sa) != null) {
      // as a road warrior: Xauth and Cisco Unity (split include, banner), as vpnc announces
      out.add(new VendorIdPayload(VendorIds.XAUTH));
      out.add(new VendorIdPayload(VendorIds.CISCO_UNITY));
    }
    if (!sa.isInitiator()
        && ctx.policy().remoteAccess() != null
        && sa.peerFeatures().contains(PeerFeature.XAUTH)) {
      // racoon refuses every Xauth request from a gateway that did not announce Xauth
      out.add(new VendorIdPayload(VendorIds.XAUTH));
    }
    if (!ctx.policy().natTraversal()) {
      return out;
    }
    if (sa.isInitiator()) {
      out.add(new VendorIdPayload(VendorIds.NAT_T_RFC3947));
      out.add(new VendorIdPayload(DRAFT_03));
      out.add(new VendorIdPayload(VendorIds.NAT_T_DRAFT_02N));
      out.add(new VendorIdPayload(VendorIds.NAT_T_DRAFT_02));
      return out;
    }
    byte[] echo = responderNatT(sa);
    if (echo != null) {
      out.add(new VendorIdPayload(echo));
    }
    return out;
  }

  /** The FRAGMENTATION Vendor ID with Cisco's capability flags (racoon wants the 0x80 bit). */
  private static byte[] fragmentation() {
    byte[] v = Arrays.copyOf(VendorIds.FRAGMENTATION, 20);
    System.arraycopy(IkeFragments.CAPABILITIES, 0, v, 16, 4);
    return v;
  }

  private static byte[] responderNatT(IkeSa sa) {
    var f = sa.peerFeatures();
    if (f.contains(PeerFeature.NAT_T_RFC3947)) {
      return VendorIds.NAT_T_RFC3947;
    }
    if (f.contains(PeerFeature.NAT_T_DRAFT_03)) {
      return DRAFT_03;
    }
    if (f.contains(PeerFeature.NAT_T_DRAFT_02N)) {
      return VendorIds.NAT_T_DRAFT_02N;
    }
    if (f.contains(PeerFeature.NAT_T_DRAFT_02)) {
      return VendorIds.NAT_T_DRAFT_02;
    }
    return null;
  }
}
