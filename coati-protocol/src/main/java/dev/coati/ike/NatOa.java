package dev.coati.ike;

import dev.coati.ike.wire.IdType;
import dev.coati.ike.wire.NatOaPayload;
import dev.coati.ike.wire.Payload;
import java.util.List;

/**
 * NAT original addresses in quick mode (RFC 3947 section 5.2; draft-ietf-ipsec-nat-t-ike-02/03
 * payload 131). Only UDP-encapsulated transport mode needs them: the receiver of an inner UDP or
 * TCP packet uses the sender's original address to check or fix the inner checksum (RFC 3948
 * section 3.1.2), since the NAT rewrote the outer address it was computed over.
 *
 * <p>RFC 3947: the initiator sends NAT-OAi (its own address) then NAT-OAr (the responder's address
 * as it sees it); the responder may send both, from its side: the initiator's address as seen and
 * its own. The drafts carry one payload: the sender's own address.
 */
final class NatOa {
  private NatOa() {}

  /** The NAT-OA payloads we send in a quick mode message (empty unless UDP transport mode). */
  static List<Payload> ours(IkeSa sa, boolean udpTransport, boolean weInitiate) {
    if (!udpTransport || sa.natVariant() == NatVariant.NONE) {
      return List.of();
    }
    var type = sa.natVariant().natOa();
    NatOaPayload self = new NatOaPayload(type, IdType.IPV4_ADDR, sa.local().address());
    if (sa.natVariant() == NatVariant.DRAFT) {
      return List.of(self);
    }
    NatOaPayload other = new NatOaPayload(type, IdType.IPV4_ADDR, sa.peer().address());
    return weInitiate ? List.of(self, other) : List.of(other, self);
  }

  /** The peer's original address from its NAT-OA payloads, or null if it sent none. */
  static byte[] peerOriginal(List<NatOaPayload> got, boolean peerInitiated) {
    if (got.isEmpty()) {
      return null;
    }
    NatOaPayload p =
        got.size() >= 2 && !peerInitiated && got.get(0).type().code() == 21
            ? got.get(1)
            : got.get(0);
    byte[] a = p.address();
    return a.length == 4 ? a : null;
  }
}
