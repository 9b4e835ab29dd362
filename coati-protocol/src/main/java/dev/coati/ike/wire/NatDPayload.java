package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * NAT-Discovery payload (RFC 3947 section 3.2), type 20 or the draft number 130.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * ~                 HASH of the address and port                  ~
 * </pre>
 */
public record NatDPayload(PayloadType type, byte[] hash) implements Payload {
  public NatDPayload {
    if (!type.equals(PayloadType.NAT_D) && !type.equals(PayloadType.NAT_D_DRAFT)) {
      throw new IllegalArgumentException("NAT-D type " + type);
    }
    hash = hash.clone();
  }

  @Override
  public byte[] hash() {
    return hash.clone();
  }

  public static NatDPayload decodeBody(PayloadType type, ByteReader body) {
    return new NatDPayload(type, body.rest());
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.bytes(hash);
  }

  @Override
  public int bodyLength() {
    return hash.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NatDPayload p && p.type.equals(type) && OpaquePayloads.eq(p.hash, hash);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(hash) + type.code();
  }
}
