package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * NAT Original Address payload (RFC 3947 section 5.2), type 21 or the draft number 131.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * !    ID Type    !   RESERVED    !            RESERVED           !
 * ~           IPv4 (4 octets) or IPv6 address (16 octets)         ~
 * </pre>
 */
public record NatOaPayload(PayloadType type, IdType idType, byte[] address) implements Payload {
  public NatOaPayload {
    if (!type.equals(PayloadType.NAT_OA) && !type.equals(PayloadType.NAT_OA_DRAFT)) {
      throw new IllegalArgumentException("NAT-OA type " + type);
    }
    address = address.clone();
  }

  @Override
  public byte[] address() {
    return address.clone();
  }

  public static NatOaPayload decodeBody(PayloadType type, ByteReader body) {
    IdType t = IdType.valueOf(body.u8());
    body.skip(3);
    return new NatOaPayload(type, t, body.rest());
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u8(idType.code()).u8(0).u16(0).bytes(address);
  }

  @Override
  public int bodyLength() {
    return 4 + address.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NatOaPayload p
        && p.type.equals(type)
        && p.idType.equals(idType)
        && OpaquePayloads.eq(p.address, address);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(address) + type.code();
  }
}
