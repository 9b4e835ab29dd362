package dev.coati.ike;

import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.PayloadType;
import java.util.Set;

/**
 * Which NAT traversal dialect a peer speaks: RFC 3947 (NAT-D payload 20, encapsulation modes 3/4)
 * or the drafts (payload 130, modes 61443/61444), as announced by Vendor IDs.
 */
public enum NatVariant {
  NONE,
  DRAFT,
  RFC3947;

  /** The best variant the peer announced. */
  static NatVariant of(Set<PeerFeature> peer) {
    if (peer.contains(PeerFeature.NAT_T_RFC3947)) {
      return RFC3947;
    }
    return peer.stream().anyMatch(PeerFeature::isNatT) ? DRAFT : NONE;
  }

  PayloadType natD() {
    return this == RFC3947 ? PayloadType.NAT_D : PayloadType.NAT_D_DRAFT;
  }

  PayloadType natOa() {
    return this == RFC3947 ? PayloadType.NAT_OA : PayloadType.NAT_OA_DRAFT;
  }

  /** The UDP-encapsulated form of a tunnel (1) or transport (2) mode value. */
  int udpMode(int mode) {
    boolean tunnel =
        mode == IpsecAttr.TUNNEL
            || mode == IpsecAttr.UDP_TUNNEL
            || mode == IpsecAttr.UDP_TUNNEL_DRAFT;
    if (this == RFC3947) {
      return tunnel ? IpsecAttr.UDP_TUNNEL : IpsecAttr.UDP_TRANSPORT;
    }
    return tunnel ? IpsecAttr.UDP_TUNNEL_DRAFT : IpsecAttr.UDP_TRANSPORT_DRAFT;
  }
}
